package cn.xinqiao.platform.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.OffsetDateTime;

/** One append-only audit line (the table refuses UPDATE, DELETE and TRUNCATE by trigger). */
@Entity
@Immutable
@Table(name = "audit_log")
public class AuditRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(insertable = false, updatable = false)
    public OffsetDateTime at;

    public String actor;

    @Column(name = "actor_roles")
    public String actorRoles;

    public String action;

    public String resource;

    @Column(name = "resource_id")
    public String resourceId;

    @Column(name = "school_id")
    public String schoolId;

    public String purpose;
}
