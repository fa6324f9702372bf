package cn.xinqiao.platform.audit;

import cn.xinqiao.platform.tenancy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Records who read or changed identifiable student data, what, and why. Joins the caller's
 * transaction, so a change and its audit line commit together; a read outside a transaction gets
 * its own.
 */
@ApplicationScoped
public class AuditTrail {

    public enum Action { READ, CREATE, UPDATE, EXPORT, TRANSITION }

    @Inject
    Caller caller;

    @Transactional
    public void record(Action action, String resource, String resourceId, String schoolId, String purpose) {
        recordAs(caller.subject(), String.join(",", caller.roles()), action, resource, resourceId, schoolId, purpose);
    }

    /** For actors that are not an OIDC user: a student session, the system itself. */
    @Transactional
    public void recordAs(String actor, String roles, Action action, String resource, String resourceId,
                         String schoolId, String purpose) {
        AuditRecord line = new AuditRecord();
        line.actor = actor;
        line.actorRoles = roles == null || roles.isBlank() ? "-" : roles;
        line.action = action.name();
        line.resource = resource;
        line.resourceId = resourceId;
        line.schoolId = schoolId;
        line.purpose = purpose;
        line.persist();
    }
}
