package cn.xinqiao.screening.school;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

@Entity
@Table(name = "school")
public class School extends PanacheEntityBase {

    @Id
    public String id;
    public String name;
    @Column(name = "district_code")
    public String districtCode;
    @Column(name = "city_code")
    public String cityCode;
    public String stage;
    /** The day the directory closed the school (merged, shut); null while open. */
    @Column(name = "closed_on")
    public java.time.LocalDate closedOn;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
