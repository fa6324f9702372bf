package cn.xinqiao.screening.submission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.List;

/**
 * Writes new submissions with plain JDBC on the transaction's connection, like the outbox and audit rows they
 * commit with: the ORM's insert machinery (binding, sorting, the flush at commit) costs more than the insert.
 * Reads and the conflict review use the entity.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SubmissionStore {

    static final String INSERT_SQL = """
            insert into submission (id, campaign_id, student_id, school_id, instrument_id, instrument_version, mode,
                                    client_submission_id, answers, total_score, band, critical_item, risk_level, rule,
                                    policy_version, status, entered_by, submitted_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Inject
    EntityManager em;

    /** The rows in one batch (one round trip for the whole list). */
    public void insert(List<Submission> rows) {
        if (rows.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
                for (Submission s : rows) {
                    Object[] values = {s.id, s.campaignId, s.studentId, s.schoolId, s.instrumentId, s.instrumentVersion, s.mode.name(),
                            s.clientSubmissionId, connection.createArrayOf("int4", s.answers), s.totalScore, s.band, s.criticalItem,
                            s.riskLevel, s.rule, s.policyVersion, s.status.name(), s.enteredBy, s.submittedAt};
                    for (int i = 0; i < values.length; i++) {
                        insert.setObject(i + 1, values[i]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }
}
