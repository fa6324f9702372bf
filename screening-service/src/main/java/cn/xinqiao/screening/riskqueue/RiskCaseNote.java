package cn.xinqiao.screening.riskqueue;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A counsellor's entry on a risk case: follow-up, guardian informed (or why not), closing. */
@Entity
@Table(name = "risk_case_note")
public class RiskCaseNote extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "case_id")
    public UUID caseId;
    public String author;
    public String kind;
    public String note;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
