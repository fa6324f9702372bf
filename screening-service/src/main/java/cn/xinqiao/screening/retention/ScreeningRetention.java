package cn.xinqiao.screening.retention;

import cn.xinqiao.platform.retention.RetentionRule;
import cn.xinqiao.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Period;
import java.util.List;

/** screening-service's retention schedule (docs/privacy.md): answers, cases, codes, consents, links, erasure records. */
@ApplicationScoped
public class ScreeningRetention implements RetentionRules {

    private static final String CASES = "select id from risk_case where status = 'CLOSED' and updated_at < ? limit ?";

    @Override
    public List<RetentionRule> rules() {
        return List.of(
                new RetentionRule("answers", "answers and scores (submissions)",
                        "a school follows a student through their school stage; trends compare semesters", Period.ofYears(3),
                        "select count(*) from submission x join campaign c on c.id = x.campaign_id where c.closes_at < ?",
                        List.of("""
                                delete from submission where id in (select x.id from submission x join campaign c on c.id = x.campaign_id
                                where c.closes_at < ? limit ?)""")),
                new RetentionRule("cases", "closed risk cases with their notes, steps, counselling sessions and follow-ups",
                        "the school's care record: a student who struggles again is met with their history", Period.ofYears(3),
                        "select count(*) from risk_case where status = 'CLOSED' and updated_at < ?",
                        List.of("delete from risk_case_note where case_id in (" + CASES + ")",
                                "delete from case_step where case_id in (" + CASES + ")",
                                "delete from counselling_session where case_id in (" + CASES + ")",
                                "delete from follow_up where case_id in (" + CASES + ")",
                                "delete from risk_case where id in (" + CASES + ")")),
                new RetentionRule("access-codes", "students' access codes (sealed)",
                        "useless once the campaign and its paper entry are over; kept a year for the campaign's progress figures",
                        Period.ofYears(1),
                        "select count(*) from access_code a join campaign c on c.id = a.campaign_id where c.closes_at < ?",
                        List.of("""
                                delete from access_code where (campaign_id, student_id) in (select a.campaign_id, a.student_id
                                from access_code a join campaign c on c.id = a.campaign_id where c.closes_at < ? limit ?)""")),
                new RetentionRule("consents", "guardians' consent decisions and scanned forms, by the end of their school year",
                        "the proof of consent for the answers it covered, kept as long as those answers", Period.ofYears(3),
                        "select count(*) from guardian_consent where make_date(school_year + 1, 8, 1) < cast(? as date)",
                        List.of("""
                                delete from guardian_consent where id in (select id from guardian_consent
                                where make_date(school_year + 1, 8, 1) < cast(? as date) limit ?)""")),
                new RetentionRule("guardian-links", "guardians' one-time consent links, by the end of their school year",
                        "a link serves its school year only", Period.ofMonths(1),
                        "select count(*) from guardian_link where make_date(school_year + 1, 8, 1) < cast(? as date)",
                        List.of("""
                                delete from guardian_link where code_hash in (select code_hash from guardian_link
                                where make_date(school_year + 1, 8, 1) < cast(? as date) limit ?)""")),
                new RetentionRule("roster-imports", "roster import jobs and their row errors",
                        "a school looks into an import within days; its rows are in the roster", Period.ofMonths(3),
                        "select count(*) from roster_import where created_at < ? and status in ('DONE', 'FAILED')",
                        List.of("delete from roster_import where id in (select id from roster_import where created_at < ? and status in ('DONE', 'FAILED') limit ?)")),
                new RetentionRule("transfers", "students' moves between schools",
                        "the care record follows a student to the new school for their school stage", Period.ofYears(3),
                        "select count(*) from student_transfer where moved_at < ?",
                        List.of("delete from student_transfer where id in (select id from student_transfer where moved_at < ? limit ?)")),
                new RetentionRule("erasure-requests", "decided erasure requests (no identity once done)",
                        "the record that an erasure was asked for, decided and done", Period.ofYears(3),
                        "select count(*) from erasure_request where status <> 'REQUESTED' and decided_at < ?",
                        List.of("delete from erasure_request where id in (select id from erasure_request where status <> 'REQUESTED' and decided_at < ? limit ?)")));
    }
}
