package cn.xinqiao.referral.lifecycle;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.referral.dispatch.StudentIdentity;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.domain.Risk;
import cn.xinqiao.referral.partnership.Hospital;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A hospital discharges a student back to school after treatment that did not begin with a referral from this
 * platform (双向转诊, the return half on its own). The episode is kept as a closed referral whose origin is
 * {@code HOSPITAL_RETURN}: the school reads the return summary through the referral API as for any referral, and the
 * {@code referral.status.v1} event (status {@code completed}, business status {@code returned}) carries the coded
 * summary, so the school side opens or joins the student's case and dates the follow-ups. The student is checked
 * against the school's roster by number, name and birth date together, so a discharge teaches the hospital nothing
 * about a student it did not already know.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class HospitalReturns {

    @Inject
    ReferralSteps steps;

    @Inject
    StatusEvents events;

    @Inject
    AuditTrail audit;

    @Inject
    ObjectMapper json;

    public record Discharge(String hospitalId, StudentIdentity student, OffsetDateTime dischargedAt, String note, ReturnSummary summary) {
    }

    public Referral discharge(Discharge d, ReferralService.Actor actor, OffsetDateTime now) {
        Hospital hospital = Hospital.<Hospital>findByIdOptional(d.hospitalId())
                .orElseThrow(() -> Problem.forbidden("your hospital is not registered as a partner hospital"));
        String county = Districts.countyOfSchool(d.student().schoolId());
        if (!county.startsWith(Districts.significantPrefix(hospital.districtCode))) {
            throw Problem.forbidden("your hospital serves another area than this school's");
        }
        if (d.dischargedAt().isAfter(now.plusMinutes(5))) {
            throw Problem.unprocessable("discharged-in-future", "dischargedAt cannot be in the future");
        }
        Risk risk = Risk.MODERATE;   // the acute phase is over; the school's follow-up is what the return asks for
        Referral r = new Referral();
        r.id = UUID.randomUUID();
        r.origin = Referral.HOSPITAL_RETURN;
        r.studentKey = d.student().studentKey();
        r.schoolId = d.student().schoolId();
        r.districtCode = county;
        r.grade = d.student().grade() == null ? null : d.student().grade().shortValue();
        r.sex = d.student().sex();
        r.riskLevel = risk.name();
        r.riskRank = (short) risk.ordinal();
        r.reasons = List.of(new Referral.Reason("HOSPITAL_RETURN", null, null, null, null, "HOSPITAL", null));
        r.hospitalId = hospital.id;
        r.hospitalsTried = new String[]{hospital.id};
        r.status = Lifecycle.COMPLETED;
        r.businessStatus = "returned";
        r.open = false;
        r.firstRequestedAt = d.dischargedAt();
        r.completedAt = d.dischargedAt();
        r.closedAt = now;
        r.acknowledgeDueAt = d.dischargedAt();
        r.visitDueAt = d.dischargedAt();
        r.guardianDueAt = d.dischargedAt();
        r.returnSummary = d.summary();
        r.returnedAt = now;
        r.feedback = d.note() == null || d.note().isBlank() ? null : d.note().strip();
        @SuppressWarnings("unchecked")
        Map<String, Object> patient = json.convertValue(d.student(), Map.class);
        r.patient = patient;
        r.createdAt = now;
        r.updatedAt = now;
        r.persist();
        steps.record(r, "returned", null, null, r.feedback, null, actor, now);
        events.publish(r, "returned", null, null, null, now);
        audit.recordAs(actor.subject(), actor.role(), AuditTrail.Action.CREATE, "referral", r.id.toString(), r.schoolId,
                "discharge back to school");
        return r;
    }
}
