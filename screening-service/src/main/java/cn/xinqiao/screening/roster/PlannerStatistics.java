package cn.xinqiao.screening.roster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Statement;
import java.util.Set;

/**
 * PostgreSQL's planner statistics, refreshed as part of a bulk load instead of at autovacuum's next pass (up to a
 * minute later). A new school's roster and a new campaign's access codes are values the statistics have never
 * seen: until the next ANALYZE the planner expects one row of each, and joins the school's students to the
 * campaign's codes as a nested loop scanning every code per student (50,000 students: past the 60 s transaction
 * timeout; planned with statistics, 0.15 s). ANALYZE samples at most 30,000 rows, so it is done only when a load grew a table by a
 * tenth (autovacuum's own threshold): a city's first schools, not every school after them.
 */
@ApplicationScoped
public class PlannerStatistics {

    /** The tables bulk loads grow; the names are this service's, never a caller's. */
    private static final Set<String> TABLES = Set.of("student", "access_code");

    @Inject
    EntityManager em;

    /** ANALYZE {@code table} in the caller's transaction when {@code added} new rows are a tenth of what it knew (+ 50). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean refreshAfterBulkInsert(String table, long added) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a bulk-loaded table: " + table);
        }
        double known = ((Number) em.createNativeQuery("select greatest(reltuples, 0) from pg_class where oid = cast(?1 as regclass)")
                .setParameter(1, table).getSingleResult()).doubleValue();
        if (added < 50 + 0.1 * known) {
            return false;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("analyze " + table);
            }
        });
        return true;
    }
}
