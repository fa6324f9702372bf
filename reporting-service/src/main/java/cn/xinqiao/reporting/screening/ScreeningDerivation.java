package cn.xinqiao.reporting.screening;

/**
 * The screening read models derived in bulk from a table of result facts, as a rebuild does (in the column order of
 * the target tables). The live path builds the same rows incrementally ({@link ScreeningProjection});
 * ReportingFlowTest's rebuild test proves both give the same tables.
 */
public final class ScreeningDerivation {

    private ScreeningDerivation() {
    }

    public static String students(String facts) {
        return """
                select campaign_id, student_hash,
                       (array_agg(school_id order by submitted_at, result_id))[1],
                       (array_agg(district_code order by submitted_at, result_id))[1],
                       (array_agg(grade order by submitted_at, result_id))[1],
                       (array_agg(sex order by submitted_at, result_id))[1],
                       max(risk_rank)
                from %s where not superseded group by campaign_id, student_hash""".formatted(facts);
    }

    public static String resultAgg(String facts) {
        return """
                select campaign_id, school_id, district_code, grade, sex, instrument_id, band, mode, count(*)
                from %s where not superseded group by campaign_id, school_id, district_code, grade, sex, instrument_id, band, mode"""
                .formatted(facts);
    }

    public static String studentAgg(String students) {
        return """
                select campaign_id, school_id, district_code, grade, sex, risk_rank, count(*)
                from %s group by campaign_id, school_id, district_code, grade, sex, risk_rank""".formatted(students);
    }
}
