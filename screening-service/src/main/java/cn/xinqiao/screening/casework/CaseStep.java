package cn.xinqiao.screening.casework;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One step of a case's procedure: its deadline, how it was done (or the documented exception), its escalations. */
@Entity
@Table(name = "case_step")
public class CaseStep extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "case_id") UUID caseId, String code) implements Serializable {
    }

    @EmbeddedId
    public Key key;
    @Column(name = "due_at")
    public OffsetDateTime dueAt;
    public boolean critical;
    /** DONE or EXCEPTION once recorded; null while open. */
    public String outcome;
    @Column(name = "exception_code")
    public String exceptionCode;
    public String how;
    public String note;
    @Column(name = "done_at")
    public OffsetDateTime doneAt;
    @Column(name = "done_by")
    public String doneBy;
    @Column(name = "recorded_at")
    public OffsetDateTime recordedAt;
    @Column(name = "school_admin_alerted_at")
    public OffsetDateTime schoolAdminAlertedAt;
    @Column(name = "bureau_alerted_at")
    public OffsetDateTime bureauAlertedAt;

    public boolean open() {
        return outcome == null;
    }
}
