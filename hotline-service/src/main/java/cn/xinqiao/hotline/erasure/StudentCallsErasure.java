package cn.xinqiao.hotline.erasure;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * {@code screening.erasures.v1}: the calls in which a caller gave the erased student's school and student number
 * lose that number and everything the operator wrote (notes, callback note); the call stays as a counted call of
 * its hour, channel, category and risk. The hotline finds the calls by computing each call's student key the way
 * screening does, so no student key is ever stored here.
 */
@ApplicationScoped
public class StudentCallsErasure {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Erasure(@NotNull UUID erasureId, @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{43}") String studentKey,
                          @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    EntityManager em;

    @Inject
    Pseudonyms students;

    @Inject
    AuditTrail audit;

    @Incoming("erasures")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, Erasure.class, (event, e) -> erase(e));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void erase(Erasure e) {
        @SuppressWarnings("unchecked")
        List<Object[]> calls = em.createNativeQuery("select id, student_number from call_record where school_id = ?1 and student_number is not null")
                .setParameter(1, e.schoolId()).getResultList();
        int erased = 0;
        for (Object[] call : calls) {
            if (e.studentKey().equals(students.studentKey(e.schoolId(), (String) call[1]))) {
                erased += em.createNativeQuery("""
                                update call_record set student_number = null, identified = false, notes = null, callback_note = null
                                where id = ?1""").setParameter(1, call[0]).executeUpdate();
            }
        }
        audit.recordAs("screening.erasures.v1", "system", AuditTrail.Action.UPDATE, "erasure", e.erasureId().toString(), e.schoolId(),
                "student erased: " + erased + " calls de-identified");
    }
}
