package cn.xinqiao.screening.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

@Entity
@Table(name = "access_code")
public class AccessCode extends PanacheEntityBase {

    @Id
    public String code;
    @Column(name = "campaign_id")
    public UUID campaignId;
    @Column(name = "student_id")
    public UUID studentId;
}
