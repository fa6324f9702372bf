package cn.xinqiao.screening.casework;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A counselling session of a case, with the counsellor's short assessment and private notes. */
@Entity
@Table(name = "counselling_session")
public class CounsellingSession extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "case_id")
    public UUID caseId;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "held_on")
    public LocalDate heldOn;
    public int minutes;
    public String kind;
    @Column(name = "risk_level")
    public String riskLevel;
    @Column(name = "safety_concern")
    public boolean safetyConcern;
    public String progress;
    /** Read only by the school's counsellors; never on a topic, in a report or in a log. */
    @Column(name = "private_notes")
    public String privateNotes;
    public String counsellor;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
