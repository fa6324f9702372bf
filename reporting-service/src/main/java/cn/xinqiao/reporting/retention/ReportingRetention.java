package cn.xinqiao.reporting.retention;

import cn.xinqiao.platform.retention.RetentionRule;
import cn.xinqiao.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Period;
import java.util.List;

/**
 * reporting-service's retention schedule (docs/privacy.md): the per-student rows (a 16-byte hash, never a name)
 * of old campaigns and former teachers' names; the aggregates, which name nobody, stay for the trends.
 */
@ApplicationScoped
public class ReportingRetention implements RetentionRules {

    @Override
    public List<RetentionRule> rules() {
        return List.of(new RetentionRule("per-student-results", "each result and each student's campaign risk, by student hash",
                "needed while a campaign's figures can still change (conflict reviews, late paper forms); the counts stay",
                Period.ofYears(3),
                "select count(*) from screening_result r join campaign_dim c on c.campaign_id = r.campaign_id where c.closes_at < ?",
                List.of("""
                                delete from screened_student where (campaign_id, student_hash) in (select s.campaign_id, s.student_hash
                                from screened_student s join campaign_dim c on c.campaign_id = s.campaign_id where c.closes_at < ? limit ?)""",
                        """
                                delete from screening_result where result_id in (select r.result_id from screening_result r
                                join campaign_dim c on c.campaign_id = r.campaign_id where c.closes_at < ? limit ?)""")),
                new RetentionRule("former-staff", "a teacher no longer on the school's staff list, and their training attendance",
                        "the year's training coverage is counted while the person is listed; a former teacher's name has no use after",
                        Period.ofYears(3),
                        "select count(*) from staff_member where not active and updated_at < ?",
                        List.of("delete from staff_member where (school_id, staff_id) in (select school_id, staff_id from staff_member "
                                + "where not active and updated_at < ? limit ?)")));
    }
}
