package cn.xinqiao.screening.submission;

import cn.xinqiao.screening.greenchannel.ReferralRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The students' locks and what a submission needs to know about its student and campaign, read in one round
 * trip once the lock is held, with the answers to: is this a replay, and does this instrument already count?
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Enrolments {

    /** One request's student and campaign; {@code replayOf}: the submission this client id already made. */
    public record Enrolment(UUID studentId, String schoolId, String studentKey, int grade, String sex, UUID campaignId,
                            List<String> instruments, OffsetDateTime opensAt, OffsetDateTime closesAt, UUID replayOf,
                            boolean alreadyCounted, java.time.LocalDate birthDate, String consent, List<String> instrumentVersions) {

        /** The version of the instrument the campaign pinned. */
        public String versionOf(String instrumentId) {
            int i = instruments.indexOf(instrumentId);
            return i < 0 ? null : instrumentVersions.get(i);
        }

        public ReferralRequests.Subject subject() {
            return new ReferralRequests.Subject(studentKey, schoolId, grade, sex);
        }
    }

    /** A request's key fields, by position in its batch. */
    public record Key(UUID campaignId, UUID studentId, String clientSubmissionId, String instrumentId) {
    }

    static final String ENROLMENT_SQL = """
            select r.i, s.school_id, s.student_key, s.grade, s.sex, c.instruments, c.opens_at, c.closes_at,
                   (select x.id from submission x where x.campaign_id = r.campaign_id and x.student_id = r.student_id
                           and x.client_submission_id = r.client_submission_id),
                   exists (select 1 from submission x where x.campaign_id = r.campaign_id and x.student_id = r.student_id
                           and x.instrument_id = r.instrument_id and x.status = 'COUNTED'),
                   s.birth_date,
                   (select g.decision from guardian_consent g where g.student_id = r.student_id and g.school_year = c.school_year
                    order by g.recorded_at desc, g.id limit 1),
                   c.instrument_versions
              from unnest(?::int[], ?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[])
                     as r(i, campaign_id, student_id, client_submission_id, instrument_id)
              join access_code a on a.campaign_id = r.campaign_id and a.student_id = r.student_id
              join student s on s.id = a.student_id join campaign c on c.id = a.campaign_id""";

    @Inject
    EntityManager em;

    /**
     * Takes the lock of each (campaign, student) for the rest of the transaction: submissions, paper entry and
     * conflict resolution for one student in one campaign happen one at a time. PostgreSQL advisory locks live in
     * shared memory only (a row lock would write the row for every submission), taken in ascending key order so
     * that two transactions with students in common cannot deadlock. A key is 64 bits of the two ids: two
     * students sharing one would only wait for each other.
     */
    public void lockStudents(Collection<UUID[]> campaignAndStudent) {
        long[] keys = campaignAndStudent.stream().mapToLong(p -> studentLockKey(p[0], p[1])).sorted().distinct().toArray();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("select count(pg_advisory_xact_lock(k)) from unnest(?::int8[]) as k")) {
                ps.setArray(1, connection.createArrayOf("int8", Arrays.stream(keys).boxed().toArray()));
                ps.executeQuery().close();
            }
        });
    }

    static long studentLockKey(UUID campaignId, UUID studentId) {
        return campaignId.getMostSignificantBits() ^ Long.rotateLeft(campaignId.getLeastSignificantBits(), 17)
                ^ Long.rotateLeft(studentId.getMostSignificantBits(), 31) ^ Long.rotateLeft(studentId.getLeastSignificantBits(), 47);
    }

    /**
     * Locks every request's student, then reads every enrolment in one round trip (so the read sees whatever the
     * previous holder committed). By position; null where the student is not in the campaign.
     */
    public Enrolment[] lockAndRead(List<Key> keys) {
        lockStudents(keys.stream().map(k -> new UUID[]{k.campaignId(), k.studentId()}).toList());
        return em.unwrap(Session.class).doReturningWork(connection -> {
            int n = keys.size();
            Integer[] index = new Integer[n];
            UUID[] campaigns = new UUID[n];
            UUID[] students = new UUID[n];
            String[] clientIds = new String[n];
            String[] instrumentIds = new String[n];
            for (int i = 0; i < n; i++) {
                Key k = keys.get(i);
                index[i] = i;
                campaigns[i] = k.campaignId();
                students[i] = k.studentId();
                clientIds[i] = k.clientSubmissionId();
                instrumentIds[i] = k.instrumentId();
            }
            Enrolment[] enrolments = new Enrolment[n];
            try (PreparedStatement ps = connection.prepareStatement(ENROLMENT_SQL)) {
                ps.setArray(1, connection.createArrayOf("int4", index));
                ps.setArray(2, connection.createArrayOf("uuid", campaigns));
                ps.setArray(3, connection.createArrayOf("uuid", students));
                ps.setArray(4, connection.createArrayOf("varchar", clientIds));
                ps.setArray(5, connection.createArrayOf("varchar", instrumentIds));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int i = rs.getInt(1);
                        enrolments[i] = new Enrolment(students[i], rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                                campaigns[i], List.of((String[]) rs.getArray(6).getArray()), rs.getObject(7, OffsetDateTime.class),
                                rs.getObject(8, OffsetDateTime.class), rs.getObject(9, UUID.class), rs.getBoolean(10),
                                rs.getObject(11, java.time.LocalDate.class), rs.getString(12),
                                List.of((String[]) rs.getArray(13).getArray()));
                    }
                }
            }
            return enrolments;
        });
    }
}
