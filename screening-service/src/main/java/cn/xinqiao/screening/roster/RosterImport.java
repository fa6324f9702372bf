package cn.xinqiao.screening.roster;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One roster upload and its progress; row errors carry line numbers, never cell contents. The uploaded file is
 * read only when the import starts: progress updates (one per chunk of rows) and progress reads neither load it
 * nor write it back. (They did: a 50,000-student roster rewrote its file 200 times, 4.4 s of PostgreSQL's time.)
 */
@Entity
@DynamicUpdate
@Table(name = "roster_import")
public class RosterImport extends PanacheEntityBase {

    public static final int MAX_REPORTED_ERRORS = 1000;

    public record RowError(int line, List<String> errors) {
    }

    @Id
    public UUID id;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "file_format")
    public String fileFormat;
    @Enumerated(EnumType.STRING)
    public ImportStatus status;
    @Column(name = "total_rows")
    public int totalRows;
    @Column(name = "processed_rows")
    public int processedRows;
    @Column(name = "created_rows")
    public int createdRows;
    @Column(name = "updated_rows")
    public int updatedRows;
    @Column(name = "error_rows")
    public int errorRows;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<RowError> errors = new ArrayList<>();
    @Basic(fetch = FetchType.LAZY)
    public byte[] content;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;
    /** How often it was started (at upload, then at each service start while unfinished). */
    public int attempts;
}
