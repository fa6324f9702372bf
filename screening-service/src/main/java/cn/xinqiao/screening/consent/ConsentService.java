package cn.xinqiao.screening.consent;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.screening.domain.AccessCodeVault;
import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.domain.ConsentRule;
import cn.xinqiao.screening.domain.ConsentRule.Decision;
import cn.xinqiao.screening.domain.SchoolYear;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.school.DirectoryService;
import cn.xinqiao.screening.school.School;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Guardian consent per student and school year: the notice versions, the decisions (from a scanned paper form or
 * the guardian's own link), each student's standing, and what a withdrawal sets off. Every decision is a new row;
 * the latest one counts. A change is announced on {@code directory.schools.v1} (the school's counts of students
 * whose guardians did not consent), so coverage counts them apart.
 */
@ApplicationScoped
@Transactional
public class ConsentService {

    public enum Method { PAPER, ONLINE }

    public record Notice(int version, String title, String body, OffsetDateTime publishedAt) {
    }

    public record Standing(String studentNumber, String name, int grade, String className, String decision, String method,
                           LocalDate decidedOn, Integer noticeVersion, ConsentRule.Standing standing, boolean formOnFile,
                           String retainedForSafety) {
    }

    public record Recorded(UUID id, String decision, String method, LocalDate decidedOn, int noticeVersion,
                           ConsentRule.Standing standing, String retainedForSafety) {
    }

    public record Link(String studentNumber, String name, int grade, String className, String code, String url, boolean spent) {
    }

    /** What a guardian sees: the notice, the school and a masked name, the current decision. */
    public record GuardianView(String schoolName, String student, int grade, String className, String schoolYear,
                               Notice notice, String decision, boolean mayGrant, boolean mayDecline, boolean mayWithdraw) {
    }

    /** A guardian's code is hashed apart from the students' codes: the same eight characters are never both. */
    static final String LINK_PREFIX = "guardian:";

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    AccessCodeVault vault;

    @Inject
    DirectoryService directory;

    @Inject
    ConsentWithdrawal withdrawal;

    @Inject
    ConsentConfig config;

    @Inject
    cn.xinqiao.platform.tenancy.Caller caller;

    public ConsentRule rule() {
        return new ConsentRule(config.guardianConsentUnder());
    }

    // ---- notices --------------------------------------------------------------------------------------------------

    @Transactional(Transactional.TxType.SUPPORTS)
    public Notice currentNotice() {
        return notices().get(0);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Notice> notices() {
        List<Tuple> rows = em.createNativeQuery("select version, title, body, published_at from consent_notice order by version desc",
                Tuple.class).getResultList();
        return rows.stream().map(t -> new Notice(((Number) t.get(0)).intValue(), (String) t.get(1), (String) t.get(2),
                instant(t.get(3)))).toList();
    }

    public Notice publish(String title, String body, String by) {
        em.createNativeQuery("lock table consent_notice in exclusive mode").executeUpdate();
        int version = currentNotice().version() + 1;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        em.createNativeQuery("insert into consent_notice (version, title, body, published_at, published_by) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, version).setParameter(2, title).setParameter(3, body).setParameter(4, now).setParameter(5, by)
                .executeUpdate();
        audit.record(AuditTrail.Action.CREATE, "consent-notice", String.valueOf(version), null, "new guardian notice version");
        return new Notice(version, title, body, now);
    }

    // ---- decisions ------------------------------------------------------------------------------------------------

    /** The guardian's latest decision for the student this school year, or null. */
    Decision latest(UUID studentId, int schoolYear) {
        List<?> rows = em.createNativeQuery("""
                        select decision from guardian_consent where student_id = ?1 and school_year = ?2
                        order by recorded_at desc, id limit 1""")
                .setParameter(1, studentId).setParameter(2, schoolYear).getResultList();
        return rows.isEmpty() ? null : Decision.valueOf((String) rows.get(0));
    }

    /**
     * Records a decision. Refused (409) when it cannot follow the current one (a withdrawal without a grant, the same
     * decision twice). A withdrawal stops the year's screening of the student at once (see {@link ConsentWithdrawal}).
     */
    public Recorded record(Student student, SchoolYear year, Decision decision, Method method, int noticeVersion, LocalDate decidedOn,
                           String recordedBy, byte[] form, String formType) {
        em.createNativeQuery("select id from student where id = ?1 for update").setParameter(1, student.id).getResultList();
        if (noticeVersion < 1 || noticeVersion > currentNotice().version()) {
            throw Problem.invalid("no such notice version",
                    List.of(new ProblemDetails.FieldError("noticeVersion", "must be a published notice version (1–" + currentNotice().version() + ")")));
        }
        Decision previous = latest(student.id, year.startYear());
        if (!ConsentRule.mayFollow(previous, decision)) {
            throw Problem.conflict("consent-transition", previous == null
                    ? "there is no consent to withdraw / 尚无同意记录，无需撤回"
                    : "the guardian's current decision is " + previous + "; " + decision + " cannot follow it / 当前状态不允许此操作");
        }
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        em.createNativeQuery("""
                        insert into guardian_consent (id, student_id, school_id, school_year, decision, method, notice_version,
                                                      decided_on, recorded_at, recorded_by, form_scan, form_scan_type)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)""")
                .setParameter(1, id).setParameter(2, student.id).setParameter(3, student.schoolId).setParameter(4, year.startYear())
                .setParameter(5, decision.name()).setParameter(6, method.name()).setParameter(7, noticeVersion).setParameter(8, decidedOn)
                .setParameter(9, now).setParameter(10, recordedBy).setParameter(11, form).setParameter(12, formType).executeUpdate();
        String kept = null;
        if (decision == Decision.WITHDRAWN) {
            kept = withdrawal.apply(student.id, student.schoolId, year.startYear(), recordedBy,
                    method == Method.ONLINE ? "guardian" : String.join(",", caller.roles())).retainedForSafety();
            if (kept != null) {
                em.createNativeQuery("update guardian_consent set retained_for_safety = ?1 where id = ?2")
                        .setParameter(1, kept).setParameter(2, id).executeUpdate();
            }
        }
        String what = decision + " for " + year.label() + " (" + method + ", notice v" + noticeVersion + ")";
        if (method == Method.ONLINE) {
            audit.recordAs(recordedBy, "guardian", AuditTrail.Action.CREATE, "guardian-consent", student.id.toString(), student.schoolId, what);
        } else {
            audit.record(AuditTrail.Action.CREATE, "guardian-consent", student.id.toString(), student.schoolId, what);
        }
        directory.announce(School.findById(student.schoolId));
        return new Recorded(id, decision.name(), method.name(), decidedOn, noticeVersion,
                rule().standing(decision, student.birthDate, LocalDate.now(SchoolYear.CHINA)), kept);
    }

    /** Each student's standing for the year (identifiable: audited). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Standing> standings(String schoolId, SchoolYear year, Integer grade, String className) {
        List<Tuple> rows = em.createNativeQuery("""
                        select s.student_number, s.name, s.grade, s.class_name, g.decision, g.method, g.decided_on, g.notice_version,
                               g.form_scan is not null, g.retained_for_safety, s.birth_date
                        from student s left join lateral (
                            select decision, method, decided_on, notice_version, form_scan, retained_for_safety from guardian_consent
                            where student_id = s.id and school_year = ?2 order by recorded_at desc, id limit 1) g on true
                        where s.school_id = ?1 and (cast(?3 as int) is null or s.grade = ?3) and (cast(?4 as varchar) is null or s.class_name = ?4)
                        order by s.grade, s.class_name, s.student_number""", Tuple.class)
                .setParameter(1, schoolId).setParameter(2, year.startYear()).setParameter(3, grade).setParameter(4, className).getResultList();
        audit.record(AuditTrail.Action.READ, "guardian-consents", schoolId + "/" + year.label(), schoolId, "consent standings");
        ConsentRule rule = rule();
        LocalDate today = LocalDate.now(SchoolYear.CHINA);
        return rows.stream().map(t -> {
            String decision = (String) t.get(4);
            java.sql.Date decided = t.get(6) instanceof java.sql.Date d ? d : null;
            LocalDate decidedOn = decided != null ? decided.toLocalDate() : t.get(6) instanceof LocalDate l ? l : null;
            LocalDate born = t.get(10) instanceof java.sql.Date b ? b.toLocalDate() : t.get(10) instanceof LocalDate l ? l : null;
            return new Standing((String) t.get(0), (String) t.get(1), ((Number) t.get(2)).intValue(), (String) t.get(3), decision,
                    (String) t.get(5), decidedOn, t.get(7) == null ? null : ((Number) t.get(7)).intValue(),
                    rule.standing(decision == null ? null : Decision.valueOf(decision), born, today), Boolean.TRUE.equals(t.get(8)),
                    (String) t.get(9));
        }).toList();
    }

    /** The scanned form of the latest decision (identifiable: audited). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Object[] form(Student student, SchoolYear year) {
        List<Object[]> rows = em.createNativeQuery("""
                        select form_scan, form_scan_type from guardian_consent where student_id = ?1 and school_year = ?2
                        and form_scan is not null order by recorded_at desc limit 1""")
                .setParameter(1, student.id).setParameter(2, year.startYear()).getResultList();
        if (rows.isEmpty()) {
            throw Problem.notFound("consent form");
        }
        audit.record(AuditTrail.Action.READ, "guardian-consent-form", student.id.toString(), student.schoolId, "scanned consent form");
        return rows.get(0);
    }

    // ---- the guardian's own link ---------------------------------------------------------------------------------

    /** Issues a link to every student of the selection who has none this year; returns all of them (audited). */
    public List<Link> links(String schoolId, SchoolYear year, Integer grade, String className) {
        @SuppressWarnings("unchecked")
        List<UUID> missing = em.createNativeQuery("""
                        select s.id from student s
                        where s.school_id = ?1 and (cast(?3 as int) is null or s.grade = ?3) and (cast(?4 as varchar) is null or s.class_name = ?4)
                          and not exists (select 1 from guardian_link l where l.student_id = s.id and l.school_year = ?2)""")
                .setParameter(1, schoolId).setParameter(2, year.startYear()).setParameter(3, grade).setParameter(4, className).getResultList();
        if (!missing.isEmpty()) {
            String[] hashes = new String[missing.size()];
            String[] sealed = new String[missing.size()];
            for (int i = 0; i < hashes.length; i++) {
                String code = AccessCodes.next();
                hashes[i] = vault.hash(LINK_PREFIX + code);
                sealed[i] = java.util.Base64.getEncoder().encodeToString(vault.seal(code));
            }
            em.createNativeQuery("""
                            insert into guardian_link (code_hash, code_sealed, student_id, school_year, issued_at)
                            select h, decode(c, 'base64'), s, ?4, now() from unnest(cast(?1 as varchar[]), cast(?2 as text[]), cast(?3 as uuid[])) as x(h, c, s)
                            on conflict do nothing""")
                    .setParameter(1, hashes).setParameter(2, sealed).setParameter(3, missing.toArray(UUID[]::new))
                    .setParameter(4, year.startYear()).executeUpdate();
        }
        List<Tuple> rows = em.createNativeQuery("""
                        select s.student_number, s.name, s.grade, s.class_name, l.code_sealed, l.spent_at is not null
                        from guardian_link l join student s on s.id = l.student_id
                        where s.school_id = ?1 and l.school_year = ?2 and (cast(?3 as int) is null or s.grade = ?3)
                          and (cast(?4 as varchar) is null or s.class_name = ?4)
                        order by s.grade, s.class_name, s.student_number""", Tuple.class)
                .setParameter(1, schoolId).setParameter(2, year.startYear()).setParameter(3, grade).setParameter(4, className).getResultList();
        audit.record(AuditTrail.Action.READ, "guardian-links", schoolId + "/" + year.label(), schoolId, "guardian consent links");
        List<Link> out = new ArrayList<>();
        for (Tuple t : rows) {
            String code = AccessCodes.display(vault.open((byte[]) t.get(4)));
            out.add(new Link((String) t.get(0), (String) t.get(1), ((Number) t.get(2)).intValue(), (String) t.get(3), code,
                    config.guardianPageUrl() + "#" + code.replace("-", ""), Boolean.TRUE.equals(t.get(5))));
        }
        return out;
    }

    /** The link's student and year, or null (a wrong code: the caller spends the network's failure budget). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Object[] byCode(String typed) {
        String code = AccessCodes.normalise(typed);
        if (code == null) {
            return null;
        }
        List<Object[]> rows = em.createNativeQuery("select student_id, school_year, spent_at from guardian_link where code_hash = ?1")
                .setParameter(1, vault.hash(LINK_PREFIX + code)).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public GuardianView guardianView(Object[] link) {
        Student s = Student.findById(link[0]);
        SchoolYear year = new SchoolYear(((Number) link[1]).intValue());
        Decision current = latest(s.id, year.startYear());
        School school = School.findById(s.schoolId);
        boolean spent = link[2] != null;
        return new GuardianView(school.name, masked(s.name), s.grade, s.className, year.label(), currentNotice(),
                current == null ? null : current.name(), !spent && ConsentRule.mayFollow(current, Decision.GRANTED),
                !spent && ConsentRule.mayFollow(current, Decision.DECLINED), ConsentRule.mayFollow(current, Decision.WITHDRAWN));
    }

    /** The guardian decides online: a decline or a withdrawal spends the link; a grant keeps it open for a withdrawal. */
    public Recorded decideOnline(Object[] link, Decision decision, int noticeVersion) {
        Student s = Student.findById(link[0]);
        SchoolYear year = new SchoolYear(((Number) link[1]).intValue());
        if (link[2] != null && decision != Decision.WITHDRAWN) {
            throw Problem.conflict("link-spent", "this link has been used; please contact the school / 此链接已使用，如需更改请联系学校");
        }
        Recorded r = record(s, year, decision, Method.ONLINE, noticeVersion, LocalDate.now(SchoolYear.CHINA), "guardian-link", null, null);
        if (decision != Decision.GRANTED) {
            em.createNativeQuery("update guardian_link set spent_at = now() where student_id = ?1 and school_year = ?2")
                    .setParameter(1, s.id).setParameter(2, year.startYear()).executeUpdate();
        }
        return r;
    }

    private static OffsetDateTime instant(Object value) {
        return value instanceof java.time.Instant i ? i.atOffset(ZoneOffset.UTC)
                : value instanceof java.sql.Timestamp ts ? ts.toInstant().atOffset(ZoneOffset.UTC) : (OffsetDateTime) value;
    }

    /** 张子涵 → 张*涵, 李明 → 李*: enough for a guardian to recognise their child, not enough to identify a stranger's. */
    static String masked(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        int[] cps = name.codePoints().toArray();
        if (cps.length == 1) {
            return name;
        }
        StringBuilder out = new StringBuilder().appendCodePoint(cps[0]);
        out.append("*".repeat(Math.max(1, cps.length - 2)));
        if (cps.length > 2) {
            out.appendCodePoint(cps[cps.length - 1]);
        }
        return out.toString();
    }
}
