package cn.xinqiao.hotline.shift;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "handover_note")
public class HandoverNote extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "shift_id")
    public UUID shiftId;
    public String author;
    public String note;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
