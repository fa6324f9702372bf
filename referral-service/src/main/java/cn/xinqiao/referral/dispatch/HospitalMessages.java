package cn.xinqiao.referral.dispatch;

import cn.xinqiao.platform.trace.Traces;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.referral.domain.Risk;
import cn.xinqiao.referral.fhir.FhirMessages;
import cn.xinqiao.referral.fhir.FhirReferralMessage;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.partnership.Hospital;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The only writer of {@code referral.hospital.<hospitalId>.v1}, the one topic that carries identity. A message
 * is built from the referral as it is when sent, validated as FHIR R4, and written to the outbox in the
 * caller's transaction. New and updated referrals wait for the identity ({@link HospitalDispatcher}); a
 * withdrawal reuses the identity the hospital already received.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class HospitalMessages {

    private static final Logger LOG = Logger.getLogger(HospitalMessages.class);
    public static final String TYPE = "cn.xinqiao.referral.hospital.v1";

    public enum Kind { NEW, UPDATE }

    /** Fired when a message is waiting; the dispatcher observes it after commit and sends at once. */
    public record DispatchRequested(UUID referralId) {
    }

    @Inject
    Outbox outbox;

    @Inject
    FhirMessages fhir;

    @Inject
    ObjectMapper json;

    @Inject
    Event<DispatchRequested> requested;

    public static String topic(String hospitalId) {
        return "referral.hospital." + hospitalId + ".v1";
    }

    /** Marks the referral's current hospital as owed a message (a NEW not yet sent stays NEW). */
    public void requestDispatch(Referral r, Kind kind) {
        boolean unsentNew = Kind.NEW.name().equals(r.dispatchKind) && r.hospitalId.equals(r.dispatchHospitalId);
        r.dispatchKind = unsentNew ? Kind.NEW.name() : kind.name();
        r.dispatchHospitalId = r.hospitalId;
        r.dispatchAttempts = 0;
        r.dispatchNextAt = OffsetDateTime.now(java.time.ZoneOffset.UTC);   // at once, by the wall clock (not the SLA clock)
        r.dispatchTraceparent = Traces.current();
        requested.fire(new DispatchRequested(r.id));
    }

    /** Tells a hospital the referral is no longer theirs; nothing to say if it never heard of it. */
    public void cancelAt(Referral r, String hospitalId, OffsetDateTime now) {
        if (hospitalId == null) {
            return;
        }
        if (hospitalId.equals(r.dispatchHospitalId) && Kind.NEW.name().equals(r.dispatchKind)) {
            r.dispatchKind = null;
            r.dispatchHospitalId = null;
            r.dispatchNextAt = null;
            return;
        }
        if (r.patient == null) {
            LOG.warnf("referral %s: withdrawal for %s without a sent message, nothing to withdraw", r.id, hospitalId);
            return;
        }
        StudentIdentity student = json.convertValue(r.patient, StudentIdentity.class);
        send(r, FhirReferralMessage.Kind.CANCEL, hospitalId, "cancelled", "cancelled", student, now);
    }

    /** Sends the pending NEW/UPDATE with the identity just resolved; the caller holds the row lock. */
    public void sendPending(Referral r, StudentIdentity student, OffsetDateTime now) {
        FhirReferralMessage.Kind kind = Kind.NEW.name().equals(r.dispatchKind) ? FhirReferralMessage.Kind.NEW : FhirReferralMessage.Kind.UPDATE;
        send(r, kind, r.dispatchHospitalId, r.status, r.businessStatus, student, now);
        @SuppressWarnings("unchecked")
        Map<String, Object> snapshot = json.convertValue(student, Map.class);
        r.patient = snapshot;
        r.dispatchedAt = now;
        r.dispatchKind = null;
        r.dispatchHospitalId = null;
        r.dispatchNextAt = null;
        r.dispatchAttempts = 0;
        r.dispatchTraceparent = null;
    }

    @Inject
    cn.xinqiao.referral.identity.IdentitySeals seals;

    private void send(Referral r, FhirReferralMessage.Kind kind, String hospitalId, String taskStatus, String businessStatus,
                      StudentIdentity student, OffsetDateTime now) {
        Hospital hospital = Hospital.findById(hospitalId);
        List<FhirReferralMessage.Reason> reasons = r.reasons.stream()
                .map(x -> new FhirReferralMessage.Reason(x.code(), x.instrumentId(), x.totalScore(), x.band(), x.criticalItem())).toList();
        var bundle = FhirReferralMessage.build(new FhirReferralMessage.Content(UUID.randomUUID(), kind, r.id, hospitalId,
                hospital == null ? hospitalId : hospital.name, r.schoolId, Risk.valueOf(r.riskLevel), reasons, taskStatus,
                businessStatus, r.firstRequestedAt, r.acknowledgeDueAt, r.visitDueAt, student, now));
        seals.seal(bundle, r.studentKey); // the identity travels sealed under the student's own key (crypto-shredding)
        String message = fhir.json(bundle);
        List<String> errors = fhir.errors(message);
        if (!errors.isEmpty()) {
            // a programming error, never data: the locations name elements, not values
            throw new IllegalStateException("FHIR message for referral " + r.id + " does not validate: " + errors);
        }
        try {
            outbox.publish(topic(hospitalId), r.id.toString(), TYPE, r.id.toString(), "application/fhir+json", json.readTree(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
