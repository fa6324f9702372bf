package cn.xinqiao.referral.partnership;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A county's default partner hospital (code = county code) or a school's own (code = school id). */
@Entity
@Table(name = "partnership")
public class Partnership extends PanacheEntityBase {
    @Id
    public String code;
    public String scope;
    @Column(name = "hospital_id")
    public String hospitalId;
    @Column(name = "backup_hospital_id")
    public String backupHospitalId;
    @Column(name = "updated_by")
    public String updatedBy;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
