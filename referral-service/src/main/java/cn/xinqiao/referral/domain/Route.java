package cn.xinqiao.referral.domain;

import cn.xinqiao.referral.partnership.Partnership;

import java.util.Optional;

/**
 * Where a school's referrals go: the school's own partnership wins over its county's default. No route means
 * the request must escalate to the bureau, never be dropped.
 */
public record Route(String hospitalId, String backupHospitalId, Source source) {

    public enum Source { SCHOOL, COUNTY }

    public record Partnership(String hospitalId, String backupHospitalId) {
    }

    public static Optional<Route> resolve(Optional<Partnership> school, Optional<Partnership> county) {
        if (school.isPresent()) {
            return Optional.of(new Route(school.get().hospitalId(), school.get().backupHospitalId(), Source.SCHOOL));
        }
        return county.map(c -> new Route(c.hospitalId(), c.backupHospitalId(), Source.COUNTY));
    }
}
