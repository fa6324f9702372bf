package cn.xinqiao.hotline.shift;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "shift")
public class Shift extends PanacheEntityBase {
    @Id
    public UUID id;
    public String hotline;
    @Column(name = "starts_at")
    public OffsetDateTime startsAt;
    @Column(name = "ends_at")
    public OffsetDateTime endsAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
