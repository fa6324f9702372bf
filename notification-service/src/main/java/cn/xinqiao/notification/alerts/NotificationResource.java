package cn.xinqiao.notification.alerts;

import cn.xinqiao.notification.oncall.Orgs;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/notifications}: the signed-in person's notifications (and their live stream), acknowledgement, and
 * the delivery log of an organisation for those who manage it.
 */
@Path("/api/notifications")
@RolesAllowed({"school-admin", "school-counselor", "clinician", "bureau-analyst", "hotline-supervisor", "hotline-operator", "platform-admin"})
public class NotificationResource {

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    @Inject
    Alerts alerts;

    @Inject
    NotificationStream stream;

    /** The bell: my notifications, open ones first (an alert someone else acknowledged counts as handled). */
    @GET
    @Path("/mine")
    @Transactional
    public List<NotificationView> mine(@QueryParam("open") @DefaultValue("true") @Pattern(regexp = "true|false") String openOnly) {
        boolean open = Boolean.parseBoolean(openOnly);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(NotificationView.SELECT + " where n.recipient = ?1"
                        + (open ? " and n.acked_at is null and a.acked_at is null" : "") + " order by n.created_at desc limit 50")
                .setParameter(1, caller.subject()).getResultList();
        return rows.stream().map(NotificationView::of).toList();
    }

    /** Server-Sent Events: each new notification for me as {@code event: notification}, JSON data. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse) {
        stream.subscribe(caller.subject(), sink, sse);
    }

    /** Acknowledges: the recipient, or whoever manages the organisation. Again: nothing changes. */
    @POST
    @Path("/{id}/ack")
    @Transactional
    public NotificationView ack(@PathParam("id") UUID id) {
        NotificationView n = find(id);
        if (!caller.subject().equals(n.recipient()) && !Orgs.manages(caller, n.orgId())) {
            throw Problem.notFound("notification");
        }
        alerts.acknowledge(id, n.alertId(), caller.subject(), OffsetDateTime.now(ZoneOffset.UTC));
        return find(id);
    }

    private NotificationView find(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(NotificationView.SELECT + " where n.id = ?1").setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw Problem.notFound("notification");
        }
        return NotificationView.of(rows.get(0));
    }

    public record Attempt(String channel, int attempt, String status, OffsetDateTime dueAt, OffsetDateTime startedAt,
                          OffsetDateTime finishedAt, String code) {
    }

    public record Told(UUID notificationId, int step, String rung, String recipient, OffsetDateTime createdAt, OffsetDateTime ackedAt,
                       List<Attempt> deliveries) {
    }

    public record LogEntry(UUID alertId, String kind, String severity, String orgId, String title, OffsetDateTime createdAt,
                           OffsetDateTime ackedAt, String ackedBy, int step, OffsetDateTime nextStepAt, List<Told> told) {
    }

    /**
     * The delivery log of an organisation (default: mine): each alert, everyone told at each step, every attempt on
     * every channel. {@code status}: open (not acknowledged), acked, failed (an attempt failed or is uncertain), all.
     */
    @GET
    @Transactional
    @RolesAllowed({"school-admin", "clinician", "bureau-analyst", "hotline-supervisor", "platform-admin"})
    public List<LogEntry> log(@QueryParam("orgId") String orgId,
                              @QueryParam("status") @DefaultValue("all") @Pattern(regexp = "open|acked|failed|all") String status,
                              @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        String org = orgId != null ? orgId : Orgs.own(caller).orElseThrow(() -> Problem.badRequest("org-required", "say which organisation"));
        Orgs.require(org);
        if (!Orgs.manages(caller, org)) {
            throw Problem.forbidden("only those who manage an organisation read its delivery log");
        }
        String filter = switch (status) {
            case "open" -> " and a.acked_at is null";
            case "acked" -> " and a.acked_at is not null";
            case "failed" -> " and exists (select 1 from notification n join delivery d on d.notification_id = n.id"
                    + " where n.alert_id = a.id and d.status in ('FAILED', 'UNCERTAIN'))";
            default -> "";
        };
        @SuppressWarnings("unchecked")
        List<Object[]> alertRows = em.createNativeQuery("select a.id, a.kind, a.severity, a.org_id, a.title, a.created_at, a.acked_at, a.acked_by,"
                        + " a.step, a.next_step_at from alert a where a.org_id = ?1" + filter + " order by a.created_at desc limit ?2")
                .setParameter(1, org).setParameter(2, limit).getResultList();
        if (alertRows.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = alertRows.stream().map(r -> (UUID) r[0]).toList();
        @SuppressWarnings("unchecked")
        List<Object[]> told = em.createNativeQuery("""
                        select n.alert_id, n.id, n.step, n.rung, n.recipient, n.created_at, n.acked_at,
                               d.channel, d.attempt, d.status, d.due_at, d.started_at, d.finished_at, d.code
                        from notification n left join delivery d on d.notification_id = n.id
                        where n.alert_id = any(?1) order by n.step, d.due_at, d.attempt""")
                .setParameter(1, ids.toArray(UUID[]::new)).getResultList();
        Map<UUID, Map<UUID, Told>> byAlert = new LinkedHashMap<>();
        for (Object[] r : told) {
            Map<UUID, Told> people = byAlert.computeIfAbsent((UUID) r[0], k -> new LinkedHashMap<>());
            Told t = people.computeIfAbsent((UUID) r[1], k -> new Told(k, ((Number) r[2]).intValue(), (String) r[3], (String) r[4],
                    Times.odt(r[5]), Times.odt(r[6]), new ArrayList<>()));
            if (r[7] != null) {
                t.deliveries().add(new Attempt((String) r[7], ((Number) r[8]).intValue(), (String) r[9], Times.odt(r[10]), Times.odt(r[11]),
                        Times.odt(r[12]), (String) r[13]));
            }
        }
        return alertRows.stream().map(r -> new LogEntry((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                Times.odt(r[5]), Times.odt(r[6]), (String) r[7], ((Number) r[8]).intValue(), Times.odt(r[9]),
                List.copyOf(byAlert.getOrDefault((UUID) r[0], Map.of()).values()))).toList();
    }
}
