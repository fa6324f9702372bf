package cn.xinqiao.referral.retention;

import cn.xinqiao.platform.retention.RetentionRule;
import cn.xinqiao.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Period;
import java.util.List;

/** referral-service's retention schedule (docs/privacy.md): closed referrals, then the identity keys nobody needs. */
@ApplicationScoped
public class ReferralRetention implements RetentionRules {

    private static final String CLOSED = "select id from referral where not open and closed_at < ? limit ?";

    @Override
    public List<RetentionRule> rules() {
        return List.of(
                new RetentionRule("referrals", "closed referrals: identity snapshot, requests, transitions, guardian records, return summaries",
                        "the school and the hospital look back at an episode while the student is in school; the hospital keeps its own"
                                + " medical record", Period.ofYears(3),
                        "select count(*) from referral where not open and closed_at < ?",
                        List.of("delete from referral_request where referral_id in (" + CLOSED + ")",
                                "delete from referral_transition where referral_id in (" + CLOSED + ")",
                                "delete from guardian_notification where referral_id in (" + CLOSED + ")",
                                "delete from referral where id in (" + CLOSED + ")")),
                new RetentionRule("identity-keys", "students' identity keys with no referral left",
                        "a key opens the identity sealed in hospital messages; without a referral nobody may open them (the hospital"
                                + " topics keep 30 days)", Period.ofDays(30),
                        "select count(*) from subject_key k where k.created_at < ? and not exists (select 1 from referral r where r.student_key = k.student_key)",
                        List.of("""
                                delete from subject_key where key_id in (select k.key_id from subject_key k where k.created_at < ?
                                and not exists (select 1 from referral r where r.student_key = k.student_key) limit ?)""")),
                new RetentionRule("erasures-applied", "the record that an erasure was applied here",
                        "proof that an erasure reached this service", Period.ofYears(3),
                        "select count(*) from erasure_applied where applied_at < ?",
                        List.of("delete from erasure_applied where erasure_id in (select erasure_id from erasure_applied where applied_at < ? limit ?)")));
    }
}
