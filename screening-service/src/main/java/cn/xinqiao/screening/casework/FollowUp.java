package cn.xinqiao.screening.casework;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A follow-up (回访) of a case, dated from the hospital's follow-up plan. */
@Entity
@Table(name = "follow_up")
public class FollowUp extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "case_id")
    public UUID caseId;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "referral_id")
    public UUID referralId;
    @Column(name = "after_days")
    public int afterDays;
    @Column(name = "by_whom")
    public String byWhom;
    @Column(name = "due_on")
    public LocalDate dueOn;
    /** Null until done: SEEN, IMPROVED, UNCHANGED, WORSE, RE_REFER, MOVED_SCHOOL or UNREACHABLE. */
    public String outcome;
    public String note;
    @Column(name = "done_at")
    public OffsetDateTime doneAt;
    @Column(name = "done_by")
    public String doneBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "school_admin_alerted_at")
    public OffsetDateTime schoolAdminAlertedAt;
    @Column(name = "bureau_alerted_at")
    public OffsetDateTime bureauAlertedAt;
}
