package cn.xinqiao.screening.campaign;

import cn.xinqiao.screening.domain.AccessCodeVault;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Converts access codes stored in plain (before codes were sealed) to their lookup hash and sealed form, a thousand
 * at a time, at start: afterwards the table holds no working code. Replicas starting together share the work
 * ({@code skip locked}); with nothing left it is one indexed probe.
 */
@ApplicationScoped
public class AccessCodeSealing {

    private static final Logger LOG = Logger.getLogger(AccessCodeSealing.class);

    @Inject
    EntityManager em;

    @Inject
    AccessCodeVault vault;

    void onStart(@Observes StartupEvent start) {
        int total = 0;
        int sealed;
        do {
            sealed = QuarkusTransaction.requiringNew().call(this::sealBatch);
            total += sealed;
        } while (sealed > 0);
        if (total > 0) {
            LOG.infof("sealed %d access codes stored in plain", total);
        }
    }

    public int sealBatch() {
        @SuppressWarnings("unchecked")
        List<Tuple> plain = em.createNativeQuery("""
                        select campaign_id, student_id, code from access_code where code is not null
                        limit 1000 for update skip locked""", Tuple.class).getResultList();
        for (Tuple t : plain) {
            String code = (String) t.get(2);
            em.createNativeQuery("update access_code set code = null, code_hash = ?1, code_sealed = ?2 where campaign_id = ?3 and student_id = ?4")
                    .setParameter(1, vault.hash(code)).setParameter(2, vault.seal(code))
                    .setParameter(3, (UUID) t.get(0)).setParameter(4, (UUID) t.get(1)).executeUpdate();
        }
        return plain.size();
    }
}
