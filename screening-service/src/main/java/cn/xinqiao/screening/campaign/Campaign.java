package cn.xinqiao.screening.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    @Column(name = "owner_area")
    public String ownerArea;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] instruments;
    /** The version of each instrument the campaign runs, in the order of {@link #instruments}: pinned when it is created. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "instrument_versions")
    public String[] instrumentVersions;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public Integer[] grades;
    @Column(name = "opens_at")
    public OffsetDateTime opensAt;
    @Column(name = "closes_at")
    public OffsetDateTime closesAt;
    /** The school year it opens in (2026: 2026–2027): the year whose guardian consent applies. */
    @Column(name = "school_year")
    public int schoolYear;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public boolean isOpenAt(OffsetDateTime at) {
        return !at.isBefore(opensAt) && at.isBefore(closesAt);
    }

    /** Instrument id → pinned version, from the two parallel arrays a campaign row keeps. */
    public static java.util.Map<String, String> pins(String[] ids, String[] versions) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(ids[i], versions[i]);
        }
        return out;
    }

    public boolean includes(String instrumentId) {
        return java.util.Arrays.asList(instruments).contains(instrumentId);
    }
}
