package cn.xinqiao.reporting.rebuild;

import cn.xinqiao.platform.inbox.EventDecoder;
import cn.xinqiao.platform.inbox.RejectedEvent;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.reporting.domain.Risk;
import cn.xinqiao.reporting.messaging.CampaignEvent;
import cn.xinqiao.reporting.messaging.EventConsumers;
import cn.xinqiao.reporting.messaging.HospitalEvent;
import cn.xinqiao.reporting.messaging.HotlineCallEvent;
import cn.xinqiao.reporting.messaging.ReferralStatusEvent;
import cn.xinqiao.reporting.messaging.SchoolEvent;
import cn.xinqiao.reporting.messaging.ScreeningResultEvent;
import cn.xinqiao.reporting.projection.HotlineProjection;
import cn.xinqiao.reporting.projection.ReferralProjection;
import cn.xinqiao.reporting.projection.ScreeningProjection;
import cn.xinqiao.reporting.projection.StudentHash;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rebuilds every read model by replaying the topics from the beginning under a new consumer group.
 * <ol>
 *   <li>pause the live channels; replay every partition up to its end offset into unlogged staging
 *       tables (COPY, decoded and validated exactly as the live inbox does; rejected records are
 *       counted and skipped, as the live path dead-letters them);</li>
 *   <li>in one transaction: lock the read models, replay what arrived meanwhile, derive the read
 *       models from the staged events, count the rows that differ from the incrementally built
 *       ones ({@code differences}, expected all 0), replace them, commit — readers see the old or the
 *       new tables, never a half-built one;</li>
 *   <li>resume the live channels. Events they receive that the rebuild already holds change nothing:
 *       every read model is keyed by the event's own id (result, call, status event).</li>
 * </ol>
 * Activities are records, not a read model: a rebuild never touches them.
 */
@ApplicationScoped
public class Rebuild {

    private static final Logger LOG = Logger.getLogger(Rebuild.class);

    static final Map<String, String> TOPICS = Map.of(
            "directory.schools.v1", "rb_school",
            "directory.campaigns.v1", "rb_campaign",
            "directory.hospitals.v1", "rb_hospital",
            "screening.results.v1", "rb_screening_result",
            "referral.status.v1", "rb_referral_event",
            "hotline.calls.v1", "rb_hotline_call");

    /**
     * Read models compared with their rebuilt twins (what the reports read; screened_student's million
     * rows are summed up by student_agg, so comparing them again would only cost time).
     */
    static final List<String> READ_MODELS = List.of("school_dim", "enrolment", "campaign_dim", "campaign_school", "hospital_dim", "result_agg",
            "student_agg", "referral_fact", "hotline_call");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventDecoder decoder;

    @Inject
    ObjectMapper json;

    @Inject
    ChannelRegistry channels;

    @Inject
    io.smallrye.reactive.messaging.kafka.KafkaClientService kafkaClients;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final AtomicBoolean running = new AtomicBoolean();

    public record Run(UUID id, String state, OffsetDateTime startedAt, OffsetDateTime finishedAt, long eventsTotal,
                      long eventsRead, long rejected, Double eventsPerSecond, Map<String, Long> differences, String error) {
    }

    /** A rebuild cut short by a restart never finishes: say so instead of showing RUNNING forever. */
    void onStart(@Observes StartupEvent start) {
        update("update rebuild_run set state = 'FAILED', finished_at = now(), error = 'interrupted by a restart' where state = 'RUNNING'");
    }

    /** Starts a rebuild in the background; 409 while one runs. */
    public Run start(String requestedBy) {
        if (!running.compareAndSet(false, true)) {
            throw Problem.conflict("rebuild-running", "a rebuild is already running; follow its progress");
        }
        UUID id = UUID.randomUUID();
        try {
            update("insert into rebuild_run (id, started_at, state, requested_by) values (?, now(), 'RUNNING', ?)", id, requestedBy);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        Thread worker = new Thread(() -> run(id), "reporting-rebuild");
        worker.setDaemon(true);
        worker.start();
        return find(id).orElseThrow();
    }

    public Optional<Run> find(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, state, started_at, finished_at, events_total, events_read, rejected, differences::text, error,
                            extract(epoch from coalesce(finished_at, now()) - started_at)
                     from rebuild_run where id = ?""")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long read = rs.getLong(6);
                double seconds = rs.getDouble(10);
                Map<String, Long> diff = null;
                if (rs.getString(8) != null) {
                    diff = json.readValue(rs.getString(8), json.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Long.class));
                }
                return Optional.of(new Run(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getLong(5), read, rs.getLong(7),
                        seconds > 0 ? Math.round(read / seconds * 10) / 10.0 : null, diff, rs.getString(9)));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read rebuild status", e);
        }
    }

    public Optional<UUID> latest() {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from rebuild_run order by started_at desc limit 1")) {
            return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rebuild status", e);
        }
    }

    void run(UUID id) {
        List<PausableChannel> paused = pauseLiveChannels();
        Progress progress = new Progress(id);
        try (Connection staging = dataSource.getConnection();
             KafkaConsumer<String, String> consumer = consumer(id)) {
            createStaging(staging);
            Map<TopicPartition, Long> end = assignFromBeginning(consumer);
            progress.total = end.entrySet().stream().mapToLong(e -> e.getValue() - consumer.position(e.getKey())).sum();
            Stagers stagers = new Stagers();
            replay(consumer, end, stagers, staging, progress);
            Map<String, Long> differences = swap(consumer, stagers, progress);
            Map<TopicPartition, OffsetAndMetadata> rebuilt = positions(consumer);
            consumer.commitSync(rebuilt);
            fastForwardLiveConsumers(rebuilt);
            progress.save();
            update("update rebuild_run set state = 'DONE', finished_at = now(), differences = cast(? as jsonb) where id = ?",
                    json.writeValueAsString(differences), id);
            LOG.infof("rebuild %s done: %d events, %d rejected, differences %s", id, progress.read, progress.rejected, differences);
        } catch (Exception e) {
            LOG.errorf(e, "rebuild %s failed", id);
            progress.save();
            String reason = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            update("update rebuild_run set state = 'FAILED', finished_at = now(), error = ? where id = ?",
                    reason.length() > 300 ? reason.substring(0, 299) + "…" : reason, id);
        } finally {
            dropStaging();
            paused.forEach(PausableChannel::resume);
            running.set(false);
        }
    }

    /**
     * The live consumers would otherwise re-read everything the rebuild has just applied (harmless —
     * every read model is keyed by its event's id — but slow): move them forward to where the rebuild
     * stopped. Only ever forward; a failure here costs time, never correctness.
     */
    private void fastForwardLiveConsumers(Map<TopicPartition, OffsetAndMetadata> rebuilt) {
        for (String channel : EventConsumers.CHANNELS) {
            try {
                for (io.smallrye.reactive.messaging.kafka.KafkaConsumer<Object, Object> live : kafkaClients.getConsumers(channel)) {
                    Map<TopicPartition, Long> positions = live.getPositions().await().atMost(Duration.ofSeconds(10));
                    for (Map.Entry<TopicPartition, Long> p : positions.entrySet()) {
                        OffsetAndMetadata target = rebuilt.get(p.getKey());
                        if (target != null && target.offset() > p.getValue()) {
                            live.seek(p.getKey(), target.offset()).await().atMost(Duration.ofSeconds(10));
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not move live channel %s past the rebuilt offsets (%s); it will skip them as duplicates",
                        channel, e.getClass().getSimpleName());
            }
        }
    }

    private List<PausableChannel> pauseLiveChannels() {
        List<PausableChannel> paused = new ArrayList<>();
        for (String name : EventConsumers.CHANNELS) {
            PausableChannel channel = channels.getPausable(name);
            if (channel != null && !channel.isPaused()) {
                channel.pause();
                paused.add(channel);
            }
        }
        return paused;
    }

    private KafkaConsumer<String, String> consumer(UUID id) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reporting-service-rebuild-" + id);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    private Map<TopicPartition, Long> assignFromBeginning(KafkaConsumer<String, String> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    private void replay(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end, Stagers stagers,
                        Connection connection, Progress progress) throws Exception {
        while (!reached(consumer, end)) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
            for (ConsumerRecord<String, String> record : records) {
                stage(record, stagers, progress);
            }
            if (stagers.pending() >= 20_000) {
                stagers.flush(connection);
            }
            progress.maybeSave();
        }
        stagers.flush(connection);
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, OffsetAndMetadata> positions(KafkaConsumer<String, String> consumer) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        consumer.assignment().forEach(tp -> out.put(tp, new OffsetAndMetadata(consumer.position(tp))));
        return out;
    }

    private void stage(ConsumerRecord<String, String> record, Stagers s, Progress progress) {
        progress.read++;
        try {
            switch (record.topic()) {
                case "screening.results.v1" -> {
                    ScreeningResultEvent r = decoder.decode(record, ScreeningResultEvent.class).data();
                    s.results.row(r.resultId(), r.campaignId(), StudentHash.of(r.studentKey()), r.schoolId(), r.districtCode(),
                            r.grade(), r.sex(), r.instrumentId(), r.band(), Risk.valueOf(r.riskLevel()).rank(), r.criticalItem(),
                            r.mode(), r.submittedAt(), r.supersedes());
                }
                case "referral.status.v1" -> {
                    var decoded = decoder.decode(record, ReferralStatusEvent.class);
                    ReferralStatusEvent e = decoded.data();
                    s.referrals.row(decoded.event().id(), e.referralId(), e.schoolId(), e.districtCode(), e.hospitalId(),
                            e.riskLevel(), e.status(), e.businessStatus(), e.escalation(), e.requestedAt(), e.occurredAt());
                }
                case "hotline.calls.v1" -> {
                    HotlineCallEvent c = decoder.decode(record, HotlineCallEvent.class).data();
                    s.calls.row(c.callId(), c.startedAt(), c.endedAt(), c.durationSeconds(), c.channel(), c.callerType(),
                            c.ageBand(), c.sex(), c.districtCode(), c.schoolId(), HotlineProjection.pgArray(c.categories()),
                            c.riskLevel(), HotlineProjection.pgArray(c.actions()), c.repeatCaller(), Boolean.TRUE.equals(c.escalated()));
                }
                case "directory.schools.v1" -> {
                    SchoolEvent d = decoder.decode(record, SchoolEvent.class).data();
                    s.schools.row(d.schoolId(), d.name(), d.districtCode(), d.cityCode(), d.total(), d.updatedAt(),
                            json.writeValueAsString(d.enrolment()));
                }
                case "directory.campaigns.v1" -> {
                    CampaignEvent c = decoder.decode(record, CampaignEvent.class).data();
                    s.campaigns.row(c.campaignId(), c.name(), c.ownerArea(), HotlineProjection.pgArray(c.instruments()),
                            HotlineProjection.pgArray(c.grades().stream().map(String::valueOf).toList()), c.opensAt(), c.closesAt(),
                            c.updatedAt(), json.writeValueAsString(c.schoolIds()));
                }
                case "directory.hospitals.v1" -> {
                    HospitalEvent h = decoder.decode(record, HospitalEvent.class).data();
                    s.hospitals.row(h.hospitalId(), h.name(), h.districtCode(), h.updatedAt());
                }
                default -> throw new RejectedEvent("unexpected topic");
            }
        } catch (RejectedEvent | com.fasterxml.jackson.core.JsonProcessingException e) {
            progress.rejected++;
        }
    }

    private static void createStaging(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String table : TOPICS.values()) {
                s.execute("drop table if exists " + table);
            }
            s.execute("create unlogged table rb_screening_result (like screening_result including defaults)");
            s.execute("create unlogged table rb_hospital (like hospital_dim)");
            s.execute("create unlogged table rb_referral_event (like referral_event)");
            s.execute("create unlogged table rb_hotline_call (like hotline_call)");
            s.execute("""
                    create unlogged table rb_school (school_id varchar(10), name varchar(100), district_code varchar(6),
                        city_code varchar(6), total int, updated_at timestamptz, enrolment jsonb)""");
            s.execute("""
                    create unlogged table rb_campaign (campaign_id uuid, name varchar(200), owner_area varchar(6), instruments text[],
                        grades smallint[], opens_at timestamptz, closes_at timestamptz, updated_at timestamptz, school_ids jsonb)""");
        }
    }

    private void dropStaging() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TOPICS.values()) {
                s.execute("drop table if exists " + table);
            }
        } catch (SQLException e) {
            LOG.warnf("could not drop staging tables: %s", e.getClass().getSimpleName());
        }
    }

    /** Catch up under the lock, derive, compare, replace: one transaction. */
    private Map<String, Long> swap(KafkaConsumer<String, String> consumer, Stagers stagers, Progress progress) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("lock table screening_result, screened_student, result_agg, student_agg, referral_event, "
                        + "referral_fact, hotline_call, school_dim, enrolment, campaign_dim, campaign_school, hospital_dim in exclusive mode");
                Map<TopicPartition, Long> now = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
                progress.total += now.entrySet().stream().mapToLong(e -> e.getValue() - consumer.position(e.getKey())).sum();
                replay(consumer, now, stagers, c, progress);

                s.execute("create temp table new_screening_result (like screening_result) on commit drop");
                s.execute("insert into new_screening_result select distinct on (result_id) * from rb_screening_result order by result_id");
                s.execute("update new_screening_result set superseded = true "
                        + "where result_id in (select supersedes from new_screening_result where supersedes is not null)");
                s.execute("create temp table new_referral_event (like referral_event) on commit drop");
                s.execute("insert into new_referral_event select distinct on (event_id) * from rb_referral_event order by event_id");
                s.execute("create temp table new_school_dim (like school_dim) on commit drop");
                s.execute("""
                        insert into new_school_dim select distinct on (school_id) school_id, name, district_code, city_code, total, updated_at
                        from rb_school order by school_id, updated_at desc""");
                s.execute("create temp table new_enrolment (like enrolment) on commit drop");
                s.execute("""
                        insert into new_enrolment select school_id, (e->>'grade')::smallint, e->>'sex', (e->>'count')::int
                        from (select distinct on (school_id) school_id, enrolment from rb_school order by school_id, updated_at desc) latest,
                             jsonb_array_elements(latest.enrolment) e""");
                s.execute("create temp table new_hospital_dim (like hospital_dim) on commit drop");
                s.execute("insert into new_hospital_dim select distinct on (hospital_id) * from rb_hospital order by hospital_id, source_time desc");
                s.execute("create temp table new_campaign_dim (like campaign_dim) on commit drop");
                s.execute("""
                        insert into new_campaign_dim select distinct on (campaign_id) campaign_id, name, owner_area, instruments, grades,
                            opens_at, closes_at, updated_at from rb_campaign order by campaign_id, updated_at desc""");
                s.execute("create temp table new_campaign_school (like campaign_school) on commit drop");
                s.execute("""
                        insert into new_campaign_school select distinct campaign_id, school, substring(school from 2 for 6)
                        from (select distinct on (campaign_id) campaign_id, school_ids from rb_campaign order by campaign_id, updated_at desc) latest,
                             jsonb_array_elements_text(latest.school_ids) school""");
                s.execute("create temp table new_screened_student (like screened_student) on commit drop");
                s.execute("insert into new_screened_student " + ScreeningProjection.DERIVE.students("new_screening_result"));
                s.execute("create temp table new_result_agg (like result_agg) on commit drop");
                s.execute("insert into new_result_agg " + ScreeningProjection.DERIVE.resultAgg("new_screening_result"));
                s.execute("create temp table new_student_agg (like student_agg) on commit drop");
                s.execute("insert into new_student_agg " + ScreeningProjection.DERIVE.studentAgg("new_screened_student"));
                s.execute("create temp table new_referral_fact (like referral_fact) on commit drop");
                s.execute("insert into new_referral_fact " + ReferralProjection.derive("new_referral_event", ""));
                s.execute("create temp table new_hotline_call (like hotline_call) on commit drop");
                s.execute("insert into new_hotline_call select distinct on (call_id) * from rb_hotline_call order by call_id");

                Map<String, Long> differences = new LinkedHashMap<>();
                for (String table : READ_MODELS) {
                    try (ResultSet rs = s.executeQuery("select count(*) from ((table " + table + " except all table new_" + table
                            + ") union all (table new_" + table + " except all table " + table + ")) d")) {
                        rs.next();
                        differences.put(table, rs.getLong(1));
                    }
                }
                s.execute("truncate screening_result, screened_student, result_agg, student_agg, referral_event, referral_fact, "
                        + "hotline_call, enrolment, school_dim, campaign_school, campaign_dim, hospital_dim");
                for (String table : List.of("screening_result", "referral_event", "school_dim", "enrolment", "campaign_dim", "campaign_school", "hospital_dim", "screened_student",
                        "result_agg", "student_agg", "referral_fact", "hotline_call")) {
                    s.execute("insert into " + table + " table new_" + table);
                }
                c.commit();
                return differences;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record rebuild state", e);
        }
    }

    /** One staging writer per topic. */
    static final class Stagers {
        final StagingWriter results = new StagingWriter("rb_screening_result", "result_id, campaign_id, student_hash, school_id, "
                + "district_code, grade, sex, instrument_id, band, risk_rank, critical_item, mode, submitted_at, supersedes");
        final StagingWriter referrals = new StagingWriter("rb_referral_event", "event_id, referral_id, school_id, district_code, "
                + "hospital_id, risk_level, status, business_status, escalation, requested_at, occurred_at");
        final StagingWriter calls = new StagingWriter("rb_hotline_call", "call_id, started_at, ended_at, duration_seconds, channel, "
                + "caller_type, age_band, sex, district_code, school_id, categories, risk_level, actions, repeat_caller, escalated");
        final StagingWriter schools = new StagingWriter("rb_school", "school_id, name, district_code, city_code, total, updated_at, enrolment");
        final StagingWriter hospitals = new StagingWriter("rb_hospital", "hospital_id, name, district_code, source_time");
        final StagingWriter campaigns = new StagingWriter("rb_campaign", "campaign_id, name, owner_area, instruments, grades, opens_at, "
                + "closes_at, updated_at, school_ids");

        int pending() {
            return results.pending() + referrals.pending() + calls.pending() + schools.pending() + campaigns.pending()
                    + hospitals.pending();
        }

        void flush(Connection c) throws SQLException {
            results.flush(c);
            referrals.flush(c);
            calls.flush(c);
            schools.flush(c);
            campaigns.flush(c);
            hospitals.flush(c);
        }
    }

    /** Progress, written to rebuild_run at most once a second. */
    final class Progress {
        final UUID id;
        long total;
        long read;
        long rejected;
        private long savedAt;

        Progress(UUID id) {
            this.id = id;
        }

        void maybeSave() {
            if (System.currentTimeMillis() - savedAt >= 1000) {
                save();
            }
        }

        void save() {
            savedAt = System.currentTimeMillis();
            update("update rebuild_run set events_total = ?, events_read = ?, rejected = ? where id = ?", total, read, rejected, id);
        }
    }
}
