package cn.xinqiao.platform.audit;

import cn.xinqiao.platform.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.List;

/**
 * Records who read or changed identifiable student data, what, and why. Joins the caller's
 * transaction, so a change and its audit line commit together; a read outside a transaction gets
 * its own.
 */
@ApplicationScoped
public class AuditTrail {

    public enum Action { READ, CREATE, UPDATE, EXPORT, TRANSITION }

    private static final String INSERT =
            "insert into audit_log (actor, actor_roles, action, resource, resource_id, school_id, purpose) values (?, ?, ?, ?, ?, ?, ?)";

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    @Transactional
    public void record(Action action, String resource, String resourceId, String schoolId, String purpose) {
        recordAs(caller.subject(), String.join(",", caller.roles()), action, resource, resourceId, schoolId, purpose);
    }

    /** For actors that are not an OIDC user: a student session, the system itself. */
    @Transactional
    public void recordAs(String actor, String roles, Action action, String resource, String resourceId,
                         String schoolId, String purpose) {
        recordAll(List.of(new Line(actor, roles, action, resource, resourceId, schoolId, purpose)));
    }

    /** One line for {@link #recordAll}; the fields as for {@link #recordAs}. */
    public record Line(String actor, String roles, Action action, String resource, String resourceId, String schoolId,
                       String purpose) {
    }

    /** Several lines in one round trip (a group commit's submissions). */
    @Transactional
    public void recordAll(List<Line> lines) {
        if (lines.isEmpty()) {
            return;
        }
        // Append-only lines: plain JDBC in the caller's transaction (no entity life cycle, no identity round trip).
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Line line : lines) {
                    insert.setString(1, line.actor());
                    insert.setString(2, line.roles() == null || line.roles().isBlank() ? "-" : line.roles());
                    insert.setString(3, line.action().name());
                    insert.setString(4, line.resource());
                    insert.setString(5, line.resourceId());
                    insert.setString(6, line.schoolId());
                    insert.setString(7, line.purpose());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }
}
