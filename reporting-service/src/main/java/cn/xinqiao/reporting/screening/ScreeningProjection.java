package cn.xinqiao.reporting.screening;

import cn.xinqiao.reporting.domain.Risk;
import cn.xinqiao.reporting.screening.ScreeningResultEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * screening.results.v1 → the result fact, the student's campaign row (highest risk wins) and two
 * aggregates. Live, incrementally: a poll at a time ({@link #applyAll}, equal to one event at a time,
 * {@link #apply}: ScreeningProjectionBatchTest); on rebuild, the same read model is derived from the facts
 * in bulk ({@link ScreeningDerivation}); ReportingFlowTest's rebuild test proves both give the same tables.
 */
@ApplicationScoped
public class ScreeningProjection {

    @Inject
    EntityManager em;

    @Inject
    ResultAtATime oneByOne;

    /**
     * A poll's results together, with the same outcome as {@link #apply} one by one: the facts in one insert, the
     * result cells' increments summed per cell, the touched students' highest risk in one read and their rows and
     * risk cells moved in a few statements (a city-wide campaign's events arrive on one partition, so this is what
     * lets one consumer keep up). A batch that replaces a result (a conflict review, rare) goes one by one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyAll(List<ScreeningResultEvent> events) {
        if (events.size() == 1 || events.stream().anyMatch(e -> e.supersedes() != null)) {
            events.forEach(this::apply);
            return;
        }
        if (events.size() > MOST_PER_STATEMENT) { // consecutive parts of a poll, in order: the same outcome
            for (int from = 0; from < events.size(); from += MOST_PER_STATEMENT) {
                applyAll(events.subList(from, Math.min(events.size(), from + MOST_PER_STATEMENT)));
            }
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            List<ScreeningResultEvent> fresh = insertFacts(connection, events);
            if (fresh.isEmpty()) {
                return;
            }
            Map<List<Object>, Integer> resultCells = new LinkedHashMap<>();
            for (ScreeningResultEvent r : fresh) {
                resultCells.merge(List.of(r.campaignId(), r.schoolId(), r.districtCode(), r.grade(), r.sex(), r.instrumentId(),
                        r.band(), r.mode()), 1, Integer::sum);
            }
            upsertCells(connection, """
                    insert into result_agg (campaign_id, school_id, district_code, grade, sex, instrument_id, band, mode, results)
                    values %s on conflict (campaign_id, school_id, grade, sex, instrument_id, band, mode)
                    do update set results = result_agg.results + excluded.results""", resultCells);
            refreshStudents(connection, fresh);
        });
    }

    private static final String FACT_COLUMNS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Results per statement: 13 parameters each, well under PostgreSQL's 65,535 (a poll is 500 by default). */
    static final int MOST_PER_STATEMENT = 1000;

    /** Inserts the facts; returns the events whose result was not counted before, in order. */
    private static List<ScreeningResultEvent> insertFacts(Connection connection, List<ScreeningResultEvent> events) throws SQLException {
        String sql = """
                insert into screening_result (result_id, campaign_id, student_hash, school_id, district_code, grade, sex,
                    instrument_id, band, risk_rank, critical_item, mode, submitted_at)
                values %s on conflict (result_id) do nothing returning result_id""".formatted(rows(FACT_COLUMNS, events.size()));
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int p = 1;
            for (ScreeningResultEvent r : events) {
                for (Object value : new Object[]{r.resultId(), r.campaignId(), StudentHash.of(r.studentKey()), r.schoolId(),
                        r.districtCode(), r.grade(), r.sex(), r.instrumentId(), r.band(), Risk.valueOf(r.riskLevel()).rank(),
                        r.criticalItem(), r.mode(), r.submittedAt()}) {
                    insert.setObject(p++, value);
                }
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getObject(1, UUID.class));
                }
            }
        }
        List<ScreeningResultEvent> fresh = new ArrayList<>();
        for (ScreeningResultEvent r : events) {
            if (inserted.remove(r.resultId())) { // the same result twice in one poll counts once
                fresh.add(r);
            }
        }
        return fresh;
    }

    /**
     * The students these new results belong to: each one's highest risk among their counted results, compared with
     * their campaign row (created on their first result, with that result's school, grade and sex); the risk cells
     * of student_agg move by the sum of the changes.
     */
    private static void refreshStudents(Connection connection, List<ScreeningResultEvent> fresh) throws SQLException {
        Map<ByteBuffer, ScreeningResultEvent> first = new LinkedHashMap<>();
        for (ScreeningResultEvent r : fresh) {
            first.putIfAbsent(studentKey(r.campaignId(), StudentHash.of(r.studentKey())), r);
        }
        List<Object> pairs = new ArrayList<>();
        first.forEach((key, r) -> {
            pairs.add(r.campaignId());
            pairs.add(StudentHash.of(r.studentKey()));
        });
        String touched = rows("(?::uuid, ?::bytea)", first.size());
        Map<ByteBuffer, Integer> highest = new HashMap<>();
        try (PreparedStatement read = connection.prepareStatement("""
                select r.campaign_id, r.student_hash, max(r.risk_rank) from screening_result r
                join (values %s) t(campaign_id, student_hash) on r.campaign_id = t.campaign_id and r.student_hash = t.student_hash
                where not r.superseded group by r.campaign_id, r.student_hash""".formatted(touched))) {
            bind(read, pairs);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    highest.put(studentKey(rows.getObject(1, UUID.class), rows.getBytes(2)), rows.getInt(3));
                }
            }
        }
        Map<ByteBuffer, Object[]> existing = new HashMap<>();
        try (PreparedStatement read = connection.prepareStatement("""
                select s.campaign_id, s.student_hash, s.risk_rank, s.school_id, s.district_code, s.grade, s.sex
                from screened_student s
                join (values %s) t(campaign_id, student_hash) on s.campaign_id = t.campaign_id and s.student_hash = t.student_hash
                for update of s""".formatted(touched))) {
            bind(read, pairs);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    existing.put(studentKey(rows.getObject(1, UUID.class), rows.getBytes(2)),
                            new Object[]{rows.getInt(3), rows.getString(4), rows.getString(5), rows.getInt(6), rows.getString(7)});
                }
            }
        }
        List<Object> inserts = new ArrayList<>();
        List<Object> updates = new ArrayList<>();
        Map<List<Object>, Integer> studentCells = new LinkedHashMap<>();
        for (Map.Entry<ByteBuffer, ScreeningResultEvent> e : first.entrySet()) {
            ScreeningResultEvent r = e.getValue();
            byte[] hash = StudentHash.of(r.studentKey());
            int now = highest.get(e.getKey()); // the fresh result is counted, so there is a highest risk
            Object[] row = existing.get(e.getKey());
            if (row == null) {
                inserts.addAll(List.of(r.campaignId(), hash, r.schoolId(), r.districtCode(), r.grade(), r.sex(), now));
                studentCells.merge(List.of(r.campaignId(), r.schoolId(), r.districtCode(), r.grade(), r.sex(), now), 1, Integer::sum);
            } else if ((int) row[0] != now) {
                updates.addAll(List.of(r.campaignId(), hash, now));
                studentCells.merge(List.of(r.campaignId(), row[1], row[2], row[3], row[4], row[0]), -1, Integer::sum);
                studentCells.merge(List.of(r.campaignId(), row[1], row[2], row[3], row[4], now), 1, Integer::sum);
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into screened_student (campaign_id, student_hash, school_id, district_code, grade, sex, risk_rank)
                    values %s""".formatted(rows("(?, ?, ?, ?, ?, ?, ?)", inserts.size() / 7)))) {
                bind(insert, inserts);
                insert.executeUpdate();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement("""
                    update screened_student s set risk_rank = v.risk_rank
                    from (values %s) v(campaign_id, student_hash, risk_rank)
                    where s.campaign_id = v.campaign_id and s.student_hash = v.student_hash"""
                    .formatted(rows("(?::uuid, ?::bytea, ?::smallint)", updates.size() / 3)))) {
                bind(update, updates);
                update.executeUpdate();
            }
        }
        studentCells.values().removeIf(delta -> delta == 0);
        upsertCells(connection, """
                insert into student_agg (campaign_id, school_id, district_code, grade, sex, risk_rank, students)
                values %s on conflict (campaign_id, school_id, grade, sex, risk_rank)
                do update set students = student_agg.students + excluded.students""", studentCells);
        List<Object> emptied = new ArrayList<>(); // cells students left: deleted when no one is left in them
        studentCells.forEach((cell, delta) -> {
            if (delta < 0) {
                emptied.addAll(List.of(cell.get(0), cell.get(1), cell.get(3), cell.get(4), cell.get(5)));
            }
        });
        if (!emptied.isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement("""
                    delete from student_agg a using (values %s) v(campaign_id, school_id, grade, sex, risk_rank)
                    where a.campaign_id = v.campaign_id and a.school_id = v.school_id and a.grade = v.grade and a.sex = v.sex
                    and a.risk_rank = v.risk_rank and a.students = 0"""
                    .formatted(rows("(?::uuid, ?::varchar, ?::smallint, ?::varchar, ?::smallint)", emptied.size() / 5)))) {
                bind(delete, emptied);
                delete.executeUpdate();
            }
        }
    }

    /** Adds each cell's delta in one statement ({@code sql} has a {@code %s} for the rows: key columns, then the delta). */
    private static void upsertCells(Connection connection, String sql, Map<List<Object>, Integer> cells) throws SQLException {
        if (cells.isEmpty()) {
            return;
        }
        int width = cells.keySet().iterator().next().size() + 1;
        List<Object> values = new ArrayList<>();
        cells.forEach((key, delta) -> {
            values.addAll(key);
            values.add(delta);
        });
        try (PreparedStatement upsert = connection.prepareStatement(sql.formatted(
                rows("(" + String.join(", ", Collections.nCopies(width, "?")) + ")", cells.size())))) {
            bind(upsert, values);
            upsert.executeUpdate();
        }
    }

    private static String rows(String row, int count) {
        return String.join(", ", Collections.nCopies(count, row));
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }

    private static ByteBuffer studentKey(UUID campaign, byte[] studentHash) {
        return ByteBuffer.allocate(16 + studentHash.length).putLong(campaign.getMostSignificantBits())
                .putLong(campaign.getLeastSignificantBits()).put(studentHash).flip();
    }

    /** One result, exactly as a poll of one ({@link ResultAtATime}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(ScreeningResultEvent r) {
        oneByOne.apply(r);
    }
}
