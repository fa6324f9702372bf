package cn.xinqiao.platform.testapp;

import cn.xinqiao.platform.inbox.EventInbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.constraints.NotNull;
import io.smallrye.common.annotation.Blocking;
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
}
