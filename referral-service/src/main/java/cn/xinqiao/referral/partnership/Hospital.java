package cn.xinqiao.referral.partnership;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "hospital")
public class Hospital extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "district_code")
    public String districtCode;
    @Column(name = "green_channel_phone")
    public String greenChannelPhone;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
