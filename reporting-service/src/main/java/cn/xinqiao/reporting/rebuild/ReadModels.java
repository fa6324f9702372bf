package cn.xinqiao.reporting.rebuild;

import cn.xinqiao.reporting.referral.ReferralProjection;
import cn.xinqiao.reporting.screening.ScreeningDerivation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every read model a rebuild replaces, each defined once here by how it is derived from the staged events
 * (into a {@code new_<table>} twin, in dependency order), and whether it is compared with the live one.
 */
final class ReadModels {

    /** A read model: its table, the statement that fills its twin {@code new_<table>}, and whether to compare the two. */
    record ReadModel(String table, String derive, boolean compared) {
    }

    static final List<ReadModel> ALL = List.of(
            new ReadModel("screening_result", """
                    insert into new_screening_result select distinct on (result_id) * from rb_screening_result order by result_id;
                    update new_screening_result set superseded = true
                     where result_id in (select supersedes from new_screening_result where supersedes is not null)""", false),
            new ReadModel("referral_event",
                    "insert into new_referral_event select distinct on (event_id) * from rb_referral_event order by event_id", false),
            new ReadModel("case_event",
                    "insert into new_case_event select distinct on (event_id) * from rb_case_event order by event_id", true),
            new ReadModel("case_item",
                    "insert into new_case_item select distinct on (event_id, seq) * from rb_case_item order by event_id, seq", true),
            new ReadModel("school_dim", """
                    insert into new_school_dim select distinct on (school_id) school_id, name, district_code, city_code, total, updated_at,
                        closed_on
                    from rb_school order by school_id, updated_at desc""", true),
            new ReadModel("enrolment", """
                    insert into new_enrolment select school_id, (e->>'grade')::smallint, e->>'sex', (e->>'count')::int,
                           coalesce((e->>'notConsenting')::int, 0)
                    from (select distinct on (school_id) school_id, enrolment from rb_school order by school_id, updated_at desc) latest,
                         jsonb_array_elements(latest.enrolment) e""", true),
            new ReadModel("campaign_dim", """
                    insert into new_campaign_dim select distinct on (campaign_id) campaign_id, name, owner_area, instruments, grades,
                        opens_at, closes_at, updated_at from rb_campaign order by campaign_id, updated_at desc""", true),
            new ReadModel("campaign_school", """
                    insert into new_campaign_school select distinct campaign_id, school, substring(school from 2 for 6)
                    from (select distinct on (campaign_id) campaign_id, school_ids from rb_campaign order by campaign_id, updated_at desc) latest,
                         jsonb_array_elements_text(latest.school_ids) school""", true),
            new ReadModel("hospital_dim",
                    "insert into new_hospital_dim select distinct on (hospital_id) * from rb_hospital order by hospital_id, source_time desc", true),
            // screened_student's million rows are summed up by student_agg: comparing them again would only cost time
            new ReadModel("screened_student", "insert into new_screened_student " + ScreeningDerivation.students("new_screening_result"), false),
            new ReadModel("result_agg", "insert into new_result_agg " + ScreeningDerivation.resultAgg("new_screening_result"), true),
            new ReadModel("student_agg", "insert into new_student_agg " + ScreeningDerivation.studentAgg("new_screened_student"), true),
            new ReadModel("referral_fact", "insert into new_referral_fact " + ReferralProjection.derive("new_referral_event", ""), true),
            new ReadModel("hotline_call",
                    "insert into new_hotline_call select distinct on (call_id) * from rb_hotline_call order by call_id", true),
            new ReadModel("hotline_callback",
                    "insert into new_hotline_callback select distinct on (call_id) * from rb_hotline_callback order by call_id, done_at", true));

    private ReadModels() {
    }

    static String tables() {
        return String.join(", ", ALL.stream().map(ReadModel::table).toList());
    }

    /** Readers wait until the swap commits: they see the old tables or the new ones, never half of each. */
    static void lock(Statement s) throws SQLException {
        s.execute("lock table " + tables() + " in exclusive mode");
    }

    static void derive(Statement s) throws SQLException {
        for (ReadModel m : ALL) {
            s.execute("create temp table new_" + m.table() + " (like " + m.table() + ") on commit drop");
            for (String statement : m.derive().split(";\n")) {
                s.execute(statement);
            }
        }
        // after the aggregates are derived: they keep counting the erased, the per-student rows do not hold them
        for (String statement : cn.xinqiao.reporting.screening.ScreeningErasure.FORGET_IN_REBUILD.split(";\n")) {
            s.execute(statement);
        }
    }

    /** Rows that differ between each compared read model and its rebuilt twin (0 when the live path was right). */
    static Map<String, Long> differences(Statement s) throws SQLException {
        Map<String, Long> differences = new LinkedHashMap<>();
        for (ReadModel m : ALL) {
            if (!m.compared()) {
                continue;
            }
            String table = m.table();
            try (ResultSet rs = s.executeQuery("select count(*) from ((table " + table + " except all table new_" + table
                    + ") union all (table new_" + table + " except all table " + table + ")) d")) {
                rs.next();
                differences.put(table, rs.getLong(1));
            }
        }
        return differences;
    }

    static void replace(Statement s) throws SQLException {
        s.execute("truncate " + tables());
        for (ReadModel m : ALL) {
            s.execute("insert into " + m.table() + " table new_" + m.table());
        }
    }
}
