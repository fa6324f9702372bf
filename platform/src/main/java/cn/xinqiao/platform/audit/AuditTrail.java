package cn.xinqiao.platform.audit;

import cn.xinqiao.platform.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;

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
        String actorRoles = roles == null || roles.isBlank() ? "-" : roles;
        // An append-only line: plain JDBC in the caller's transaction (no entity life cycle, no identity round trip).
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, actor);
                insert.setString(2, actorRoles);
                insert.setString(3, action.name());
                insert.setString(4, resource);
                insert.setString(5, resourceId);
                insert.setString(6, schoolId);
                insert.setString(7, purpose);
                insert.executeUpdate();
            }
        });
    }
}
