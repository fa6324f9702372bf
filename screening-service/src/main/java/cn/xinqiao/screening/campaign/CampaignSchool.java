package cn.xinqiao.screening.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** A school taking part in a campaign. */
@Entity
@Table(name = "campaign_school")
@IdClass(CampaignSchool.Key.class)
public class CampaignSchool extends PanacheEntityBase {

    public static class Key implements Serializable {
        public UUID campaignId;
        public String schoolId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(campaignId, k.campaignId)
                    && java.util.Objects.equals(schoolId, k.schoolId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(campaignId, schoolId);
        }
    }

    @Id
    @Column(name = "campaign_id")
    public UUID campaignId;
    @Id
    @Column(name = "school_id")
    public String schoolId;
}
