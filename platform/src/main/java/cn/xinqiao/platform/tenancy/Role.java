package cn.xinqiao.platform.tenancy;

/** The realm roles of ARCHITECTURE §5 (names are a contract with Keycloak and the web UI). */
public final class Role {
    public static final String STUDENT = "student";
    public static final String SCHOOL_COUNSELOR = "school-counselor";
    public static final String SCHOOL_ADMIN = "school-admin";
    public static final String HOTLINE_OPERATOR = "hotline-operator";
    public static final String HOTLINE_SUPERVISOR = "hotline-supervisor";
    public static final String CLINICIAN = "clinician";
    public static final String BUREAU_ANALYST = "bureau-analyst";
    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String AUDITOR = "auditor";
    /** The city's expert group (专家组): reads the de-identified reports, writes and signs the semester's analysis report. */
    public static final String EXPERT_REVIEWER = "expert-reviewer";

    /** Service accounts only: referral-service resolving a student's identity for the hospital message. */
    public static final String REFERRAL_DISPATCHER = "referral-dispatcher";

    /**
     * Service accounts only: the city's student-registry sync (and the demo loader) importing schools' rosters and
     * printing their access-code slips. It reads no answers, cases or risk queues.
     */
    public static final String ROSTER_SYNC = "roster-sync";

    /** The roles people hold (ARCHITECTURE §5). */
    public static final java.util.Set<String> ALL = java.util.Set.of(STUDENT, SCHOOL_COUNSELOR, SCHOOL_ADMIN,
            HOTLINE_OPERATOR, HOTLINE_SUPERVISOR, CLINICIAN, BUREAU_ANALYST, PLATFORM_ADMIN, AUDITOR, EXPERT_REVIEWER);

    private Role() {
    }
}
