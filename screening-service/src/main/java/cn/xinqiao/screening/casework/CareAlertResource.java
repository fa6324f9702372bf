package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;
import java.util.List;

/** The bureau's view of procedure steps and follow-ups that stayed overdue past the school admin: no identity, only where and what. */
@Path("/api/care-alerts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
public class CareAlertResource {

    public record Alert(String schoolId, String districtCode, String riskLevel, String step, OffsetDateTime dueAt, OffsetDateTime alertedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Open procedure steps and follow-ups (step FOLLOW_UP) escalated to the bureau in the caller's area (a city code covers "
            + "its counties); no student identity")
    public List<Alert> alerts(@QueryParam("districtCode") @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode) {
        if (!caller.hasRole(Role.PLATFORM_ADMIN) && !caller.coversDistrict(districtCode)) {
            throw Problem.forbidden("this area is not yours");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select c.school_id, c.risk_level, s.code, s.due_at, s.bureau_alerted_at
                        from case_step s join risk_case c on c.id = s.case_id
                        where s.outcome is null and s.bureau_alerted_at is not null and substring(c.school_id from 2 for 6) like ?1
                        order by s.due_at""")
                .setParameter(1, Districts.significantPrefix(districtCode) + "%").getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> followUps = em.createNativeQuery("""
                        select c.school_id, c.risk_level, 'FOLLOW_UP', f.due_on, f.bureau_alerted_at
                        from follow_up f join risk_case c on c.id = f.case_id
                        where f.outcome is null and f.bureau_alerted_at is not null and substring(c.school_id from 2 for 6) like ?1
                        order by f.due_on""")
                .setParameter(1, Districts.significantPrefix(districtCode) + "%").getResultList();
        java.util.List<Alert> alerts = new java.util.ArrayList<>(rows.stream().map(r -> new Alert((String) r[0], Districts.countyOfSchool((String) r[0]),
                (String) r[1], (String) r[2], CaseClocks.time(r[3]), CaseClocks.time(r[4]))).toList());
        for (Object[] r : followUps) {
            java.time.LocalDate dueOn = r[3] instanceof java.time.LocalDate d ? d : ((java.sql.Date) r[3]).toLocalDate();
            alerts.add(new Alert((String) r[0], Districts.countyOfSchool((String) r[0]), (String) r[1], (String) r[2],
                    dueOn.plusDays(1).atStartOfDay(java.time.ZoneId.of("Asia/Shanghai")).toOffsetDateTime(), CaseClocks.time(r[4])));
        }
        return alerts;
    }
}
