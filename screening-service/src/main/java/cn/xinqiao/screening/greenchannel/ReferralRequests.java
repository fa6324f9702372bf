package cn.xinqiao.screening.greenchannel;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.roster.Student;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Raises a green-channel request ({@link ReferralRequest}, {@code referral.requests.v1}) for a student of the roster. */
@ApplicationScoped
public class ReferralRequests {

    @Inject
    Outbox outbox;

    @Inject
    Caller caller;

    /** What the request says about the student: the pseudonymous key and the de-identified facts, never a name. */
    public record Subject(String studentKey, String schoolId, int grade, String sex) {
        public static Subject of(Student student) {
            return new Subject(student.studentKey, student.schoolId, student.grade, student.sex);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID raise(String source, UUID sourceRef, Subject student, UUID campaignId, String riskLevel, List<RiskCase.Reason> reasons) {
        String district = Districts.countyOfSchool(student.schoolId());   // S + county code + 3 digits
        return new ReferralRequest(UUID.randomUUID(), source, sourceRef, student.studentKey(), student.schoolId(), district,
                student.grade(), student.sex(), campaignId, riskLevel, List.copyOf(reasons),
                OffsetDateTime.now(ZoneOffset.UTC), requestedBy(source)).publishTo(outbox);
    }

    /** The counsellor whose action raised it (a staff request); a student's own answers name nobody. */
    private String requestedBy(String source) {
        return "COUNSELOR".equals(source) && io.quarkus.arc.Arc.container().requestContext().isActive() ? caller.subject() : null;
    }
}
