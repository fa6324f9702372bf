package cn.xinqiao.screening.roster;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import cn.xinqiao.screening.domain.RosterRow;
import cn.xinqiao.screening.school.DirectoryService;
import cn.xinqiao.screening.school.School;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Roster imports run in the background in chunks, each chunk its own transaction, so a counsellor sees
 * progress on a big file and a crash loses at most one chunk (the import resumes at start-up; upserts by
 * school + student number make re-running harmless). Re-importing a roster updates, never duplicates.
 */
@ApplicationScoped
public class RosterImportService {

    private static final Logger LOG = Logger.getLogger(RosterImportService.class);
    static final int CHUNK = 250;

    public record Accepted(UUID importId) {
    }

    @Inject
    EntityManager em;

    @Inject
    Pseudonyms pseudonyms;

    @Inject
    DirectoryService directory;

    @Inject
    Transfers transfers;

    @Inject
    PlannerStatistics statistics;

    @Inject
    AuditTrail audit;

    @Inject
    ManagedExecutor executor;

    @Inject
    jakarta.enterprise.event.Event<Accepted> accepted;

    @Transactional
    public RosterImport accept(String schoolId, String format, byte[] content, String actor) {
        RosterImport job = new RosterImport();
        job.id = UUID.randomUUID();
        job.schoolId = schoolId;
        job.fileFormat = format;
        job.status = ImportStatus.QUEUED;
        job.content = content;
        job.requestedBy = actor;
        job.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        job.persist();
        audit.record(AuditTrail.Action.UPDATE, "roster", job.id.toString(), schoolId, "roster import");
        accepted.fire(new Accepted(job.id));
        return job;
    }

    /** After the upload commits, work on it off the request thread. */
    void onAccepted(@Observes(during = TransactionPhase.AFTER_SUCCESS) Accepted job) {
        executor.runAsync(() -> run(job.importId()));
    }

    void resumeUnfinished(@Observes StartupEvent start) {
        List<UUID> unfinished = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select r.id from RosterImport r where r.status in ?1", UUID.class)
                .setParameter(1, List.of(ImportStatus.QUEUED, ImportStatus.RUNNING)).getResultList());
        unfinished.forEach(id -> executor.runAsync(() -> run(id)));
    }

    /** Starts of one import (at upload, then at each service start while unfinished) before it is marked FAILED. */
    static final int MAX_ATTEMPTS = 3;

    public void run(UUID importId) {
        RosterImport start = QuarkusTransaction.requiringNew().call(() -> {
            RosterImport job = RosterImport.findById(importId);
            if (job == null || job.content == null || job.status == ImportStatus.DONE) {   // (loads the file, a lazy attribute)
                return null;
            }
            job.attempts++;
            if (job.attempts > MAX_ATTEMPTS) {
                // it was started this often and never finished (the process died with it): not again at every start
                job.status = ImportStatus.FAILED;
                job.content = null;
                job.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
                job.errors = new java.util.ArrayList<>(List.of(new RosterImport.RowError(0, List.of(
                        "the import did not finish after " + MAX_ATTEMPTS + " attempts; check the file and upload it again"))));
                return null;
            }
            job.status = ImportStatus.RUNNING;
            return job;
        });
        if (start == null) {
            return;
        }
        try {
            importFile(importId, start);
        } catch (OutOfMemoryError | RuntimeException e) {
            LOG.errorf("roster import %s failed: %s", importId, e.getClass().getSimpleName());
            finish(importId, ImportStatus.FAILED, new RosterImport.RowError(0, List.of("the file could not be processed; check it and upload it again")));
        }
    }

    private void importFile(UUID importId, RosterImport start) {
        byte[] content;
        String format;
        String schoolId;
        content = start.content;
        format = start.fileFormat;
        schoolId = start.schoolId;
        List<RosterFiles.Line> lines;
        try {
            lines = RosterFiles.read(format, content);
        } catch (RosterFiles.UnreadableFile e) {
            finish(importId, ImportStatus.FAILED, new RosterImport.RowError(0, List.of(e.getMessage())));
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            RosterImport job = RosterImport.findById(importId);
            job.totalRows = lines.size();
            job.processedRows = 0;
            job.createdRows = 0;
            job.updatedRows = 0;
            job.errorRows = 0;
            job.errors = new java.util.ArrayList<>();
        });
        LocalDate today = LocalDate.now(ZoneOffset.ofHours(8));
        for (int from = 0; from < lines.size(); from += CHUNK) {
            List<RosterFiles.Line> chunk = lines.subList(from, Math.min(lines.size(), from + CHUNK));
            try {
                QuarkusTransaction.requiringNew().run(() -> applyChunk(importId, schoolId, chunk, today));
            } catch (RuntimeException e) {
                // the chunk's rows are rolled back; the job says where it stopped instead of running forever
                LOG.errorf("roster import %s stopped at line %d: %s", importId, chunk.get(0).number(), e.getClass().getSimpleName());
                finish(importId, ImportStatus.FAILED, new RosterImport.RowError(chunk.get(0).number(),
                        List.of("the import stopped here; rows before this chunk were saved")));
                return;
            }
        }
        finish(importId, ImportStatus.DONE, null);
        LOG.infof("roster import %s for %s: %d rows", importId, schoolId, lines.size());
    }

    private void applyChunk(UUID importId, String schoolId, List<RosterFiles.Line> chunk, LocalDate today) {
        RosterImport job = RosterImport.findById(importId);
        for (RosterFiles.Line line : chunk) {
            RosterRow.Parsed parsed = RosterRow.parse(line.number(), line.cells(), today);
            if (parsed.row() == null) {
                job.errorRows++;
                if (job.errors.size() < RosterImport.MAX_REPORTED_ERRORS) {
                    job.errors.add(new RosterImport.RowError(line.number(), parsed.errors()));
                }
            } else if (upsert(schoolId, parsed.row(), job.requestedBy)) {
                job.createdRows++;
            } else {
                job.updatedRows++;
            }
            job.processedRows++;
        }
    }

    /**
     * @return true when the student is new. The upsert does not read the import job, so it does not flush it: a
     * flush before every row dirty-checked the job's whole uploaded file, which made a large roster quadratic
     * (8,000 students: about a minute before, see the screening benchmark's set-up).
     */
    private boolean upsert(String schoolId, RosterRow row, String importedBy) {
        if (row.nationalId() != null) {
            // the same national student number at another school: the student moved here, with their record
            transfers.elsewhere(row.nationalId(), schoolId).ifPresent(s -> transfers.move(s, schoolId, row.studentNumber(),
                    Transfers.Via.ROSTER_IMPORT, importedBy, "roster-import", Transfers.now()));
        }
        Object inserted = em.createNativeQuery("""
                insert into student (id, school_id, student_number, student_key, name, sex, birth_date, grade, class_name,
                                     guardian_name, guardian_phone, national_key)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                on conflict (school_id, student_number) do update set
                    name = excluded.name, sex = excluded.sex, birth_date = excluded.birth_date, grade = excluded.grade,
                    class_name = excluded.class_name, guardian_name = excluded.guardian_name,
                    guardian_phone = excluded.guardian_phone, national_key = coalesce(excluded.national_key, student.national_key),
                    updated_at = now()
                returning (xmax = 0)""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, schoolId).setParameter(3, row.studentNumber())
                .setParameter(4, pseudonyms.studentKey(schoolId, row.studentNumber())).setParameter(5, row.name())
                .setParameter(6, row.sex()).setParameter(7, row.birthDate()).setParameter(8, row.grade())
                .setParameter(9, row.className()).setParameter(10, row.guardianName()).setParameter(11, row.guardianPhone())
                .setParameter(12, row.nationalId() == null ? null : pseudonyms.nationalKey(row.nationalId()))
                .setFlushMode(FlushModeType.COMMIT)
                .getSingleResult();
        return Boolean.TRUE.equals(inserted);
    }

    private void finish(UUID importId, ImportStatus status, RosterImport.RowError fileError) {
        QuarkusTransaction.requiringNew().run(() -> {
            RosterImport job = RosterImport.findById(importId);
            job.status = status;
            job.content = null;
            job.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
            if (fileError != null) {
                job.errors.add(fileError);
            }
            if (status == ImportStatus.DONE) { // before DONE is seen: the codes and slips that follow are planned knowing these students
                statistics.refreshAfterBulkInsert("student", job.createdRows);
            }
            if (status == ImportStatus.DONE && job.createdRows + job.updatedRows > 0) { // an import that changed nothing announces nothing
                directory.announce(School.findById(job.schoolId));
            }
        });
    }
}
