package cn.xinqiao.platform.testapp;

import cn.xinqiao.platform.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.UUID;

@ApplicationScoped
@Transactional
public class NoteService {

    public static final String TOPIC = "platform.notes.v1";
    public static final String TYPE = "cn.xinqiao.test.note.v1";

    public record NoteWritten(UUID noteId, String text) {
    }

    @Inject
    Outbox outbox;

    public UUID write(String text) {
        Note note = new Note();
        note.id = UUID.randomUUID();
        note.text = text;
        note.persist();
        outbox.publish(TOPIC, note.id.toString(), TYPE, note.id.toString(), new NoteWritten(note.id, text));
        return note.id;
    }

    /** Writes the note and its event, then fails: both must vanish. */
    public UUID writeThenFail(String text) {
        UUID id = write(text);
        throw new IllegalStateException("failure after writing " + id);
    }
}
