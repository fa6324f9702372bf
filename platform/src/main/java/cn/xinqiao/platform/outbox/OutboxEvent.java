package cn.xinqiao.platform.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One event waiting to be (or already) published; see {@link Outbox} and {@link OutboxRelay}. */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    public String topic;

    @Column(name = "msg_key")
    public String key;

    public String type;

    public String subject;

    @Column(name = "content_type")
    public String contentType = Outbox.JSON;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String payload;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "published_at", insertable = false, updatable = false)
    public OffsetDateTime publishedAt;
}
