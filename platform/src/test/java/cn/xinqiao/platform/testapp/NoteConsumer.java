package cn.xinqiao.platform.testapp;

import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.platform.inbox.RejectedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.constraints.NotNull;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Counts how often each note's event was applied: exactly once is the only right answer. */
@ApplicationScoped
public class NoteConsumer {

    /** The consumer's own view of the event (no shared domain jar). */
    public record NoteSeen(@NotNull UUID noteId, @NotNull String text) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    EntityManager em;

    @Incoming("notes-in")
    @Blocking
    public CompletionStage<Void> onNote(Message<String> message) {
        return inbox.consume(message, NoteSeen.class, (event, note) ->
                em.createNativeQuery("insert into note_seen (note_id, times) values (?1, 1) "
                                + "on conflict (note_id) do update set times = note_seen.times + 1")
                        .setParameter(1, note.noteId())
                        .executeUpdate());
    }

    /** The same in batch mode; a note whose text is "refuse" is one the handler rejects (mid-batch). */
    @Incoming("notes-batch-in")
    @Blocking
    public CompletionStage<Void> onNotes(KafkaRecordBatch<String, String> batch) {
        return inbox.consumeBatch(batch, NoteSeen.class, (event, note) -> {
            if ("refuse".equals(note.text())) {
                throw new RejectedEvent("this note is refused by its handler");
            }
            em.createNativeQuery("insert into note_seen_batch (note_id, times) values (?1, 1) "
                            + "on conflict (note_id) do update set times = note_seen_batch.times + 1")
                    .setParameter(1, note.noteId())
                    .executeUpdate();
        });
    }
}
