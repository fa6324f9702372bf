package cn.xinqiao.referral.lifecycle;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.referral.dispatch.StudentIdentity;
import cn.xinqiao.referral.partnership.Hospital;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What people see of referrals. Identity (the snapshot the hospital received) is shown only to the receiving
 * hospital and the referring school, and every such read is audited; the bureau's view never carries it.
 */
@ApplicationScoped
@Transactional
public class ReferralQueries {

    /** Whose referrals: a hospital's, a school's, or (de-identified) an area's. */
    public record Scope(String hospitalId, String schoolId, String districtCode) {
        public static Scope hospital(String id) {
            return new Scope(id, null, null);
        }

        public static Scope school(String id) {
            return new Scope(null, id, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Guardian(String kind, OffsetDateTime informedAt, String method, String informedBy, String exceptionCode,
                           String note, String recordedBy, OffsetDateTime recordedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String step, String fromStatus, String toStatus, String businessStatus, String hospitalId,
                       String reasonCode, String note, OffsetDateTime appointmentAt, String escalation, String actorRole,
                       OffsetDateTime occurredAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(UUID id, String riskLevel, String status, String businessStatus, boolean open, String schoolId,
                       String districtCode, Integer grade, String sex, String hospitalId, String hospitalName,
                       List<Referral.Reason> reasons, OffsetDateTime firstRequestedAt, OffsetDateTime acknowledgeDueAt,
                       OffsetDateTime visitDueAt, OffsetDateTime acceptedAt, OffsetDateTime appointmentAt,
                       OffsetDateTime completedAt, OffsetDateTime closedAt, boolean acknowledgeOverdue, boolean visitOverdue,
                       boolean guardianOverdue, boolean awaitingDispatch, Guardian guardian, String feedback,
                       StudentIdentity patient, List<Step> history, ReturnSummary returnSummary, String origin) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alert(UUID referralId, String schoolId, String districtCode, String hospitalId, String riskLevel,
                        String status, String businessStatus, String escalation, String reasonCode, OffsetDateTime since,
                        OffsetDateTime firstRequestedAt) {
    }

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    public List<View> list(Scope scope, boolean openOnly, int limit, OffsetDateTime now) {
        String where = scope.hospitalId() != null ? "hospitalId = ?1" : "schoolId = ?1";
        String order = scope.hospitalId() != null ? " order by open desc, riskRank desc, firstRequestedAt" : " order by open desc, firstRequestedAt desc";
        List<Referral> rows = Referral.<Referral>find(where + (openOnly ? " and open = true" : "") + order,
                scope.hospitalId() != null ? scope.hospitalId() : scope.schoolId()).page(0, limit).list();
        Map<UUID, GuardianNotification> guardians = latestGuardians(rows.stream().map(r -> r.id).toList());
        Map<String, String> hospitals = hospitalNames();
        return rows.stream().map(r -> {
            audit.record(AuditTrail.Action.READ, "referral", r.id.toString(), r.schoolId, "referral list");
            return view(r, guardians.get(r.id), hospitals, null, now);
        }).toList();
    }

    public Referral find(UUID id) {
        return Referral.findById(id);
    }

    public View detail(Referral r, OffsetDateTime now) {
        audit.record(AuditTrail.Action.READ, "referral", r.id.toString(), r.schoolId, "referral detail");
        List<Step> history = ReferralTransition.<ReferralTransition>list("referralId = ?1 order by occurredAt, id", r.id).stream()
                .map(t -> new Step(t.step, t.fromStatus, t.toStatus, t.businessStatus, t.hospitalId, t.reasonCode, t.note,
                        t.appointmentAt, t.escalation, t.actorRole, t.occurredAt)).toList();
        return view(r, latestGuardians(List.of(r.id)).get(r.id), hospitalNames(), history, now);
    }

    /** The bureau's worklist: open referrals that escalated or found no hospital, in its area; no identity. */
    public List<Alert> alerts(String area, OffsetDateTime now) {
        String prefix = Districts.significantPrefix(area);
        List<Referral> open = Referral.list("open = true and districtCode like ?1 order by riskRank desc, firstRequestedAt", prefix + "%");
        List<UUID> ids = open.stream().map(r -> r.id).toList();
        Map<UUID, ReferralTransition> lastEscalation = ids.isEmpty() ? Map.of() : ReferralTransition.<ReferralTransition>list(
                        "referralId in ?1 and escalation is not null order by occurredAt", ids).stream()
                .collect(Collectors.toMap(t -> t.referralId, Function.identity(), (a, b) -> b));
        return open.stream()
                .filter(r -> r.hospitalId == null || lastEscalation.containsKey(r.id) || overdue(r, now))
                .map(r -> {
                    ReferralTransition t = lastEscalation.get(r.id);
                    return new Alert(r.id, r.schoolId, r.districtCode, r.hospitalId, r.riskLevel, r.status, r.businessStatus,
                            t == null ? (r.hospitalId == null ? "NO_PARTNERSHIP" : "OVERDUE") : t.escalation,
                            t == null ? null : t.reasonCode, t == null ? r.updatedAt : t.occurredAt, r.firstRequestedAt);
                }).toList();
    }

    private static boolean overdue(Referral r, OffsetDateTime now) {
        return acknowledgeOverdue(r, now) || visitOverdue(r, now);
    }

    private static boolean acknowledgeOverdue(Referral r, OffsetDateTime now) {
        return r.open && "requested".equals(r.status) && !r.acknowledgeDueAt.isAfter(now);
    }

    private static boolean visitOverdue(Referral r, OffsetDateTime now) {
        return r.open && r.completedAt == null && !r.visitDueAt.isAfter(now);
    }

    private View view(Referral r, GuardianNotification g, Map<String, String> hospitals, List<Step> history, OffsetDateTime now) {
        Guardian guardian = g == null ? null : new Guardian(g.kind, g.informedAt, g.method, g.informedBy, g.exceptionCode, g.note,
                g.recordedBy, g.recordedAt);
        StudentIdentity patient = r.patient == null ? null : json.convertValue(r.patient, StudentIdentity.class);
        return new View(r.id, r.riskLevel, r.status, r.businessStatus, r.open, r.schoolId, r.districtCode,
                r.grade == null ? null : (int) r.grade, r.sex, r.hospitalId, r.hospitalId == null ? null : hospitals.get(r.hospitalId),
                r.reasons, r.firstRequestedAt, r.acknowledgeDueAt, r.visitDueAt, r.acceptedAt, r.appointmentAt, r.completedAt,
                r.closedAt, acknowledgeOverdue(r, now), visitOverdue(r, now), r.open && g == null && !r.guardianDueAt.isAfter(now),
                r.dispatchKind != null, guardian, r.feedback, patient, history, r.returnSummary, r.origin);
    }

    private static Map<UUID, GuardianNotification> latestGuardians(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, GuardianNotification> latest = new HashMap<>();
        for (GuardianNotification g : GuardianNotification.<GuardianNotification>list("referralId in ?1 order by recordedAt", ids)) {
            latest.put(g.referralId, g);
        }
        return latest;
    }

    private static Map<String, String> hospitalNames() {
        return Hospital.<Hospital>listAll().stream().collect(Collectors.toMap(h -> h.id, h -> h.name));
    }
}
