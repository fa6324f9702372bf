package cn.xinqiao.reporting.rebuild;

import cn.xinqiao.platform.inbox.EventDecoder;
import cn.xinqiao.platform.inbox.RejectedEvent;
import cn.xinqiao.reporting.careloop.CaseworkEvent;
import cn.xinqiao.reporting.directory.CampaignEvent;
import cn.xinqiao.reporting.directory.HospitalEvent;
import cn.xinqiao.reporting.directory.SchoolEvent;
import cn.xinqiao.reporting.domain.Risk;
import cn.xinqiao.reporting.hotline.HotlineCallEvent;
import cn.xinqiao.reporting.hotline.HotlineCallbackEvent;
import cn.xinqiao.reporting.hotline.HotlineProjection;
import cn.xinqiao.reporting.referral.ReferralStatusEvent;
import cn.xinqiao.reporting.screening.ScreeningResultEvent;
import cn.xinqiao.reporting.screening.StudentHash;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The replayed events of one rebuild, in unlogged staging tables: each record decoded and validated exactly as
 * the live inbox does (a record the live path would dead-letter is counted as rejected and skipped), buffered
 * per topic and COPYed in bulk.
 */
final class Staging {

    /** The topics a rebuild replays, each with its staging table. */
    static final Map<String, String> TOPICS = Map.of(
            "directory.schools.v1", "rb_school",
            "directory.campaigns.v1", "rb_campaign",
            "directory.hospitals.v1", "rb_hospital",
            "screening.results.v1", "rb_screening_result",
            "referral.status.v1", "rb_referral_event",
            "screening.casework.v1", "rb_case_event",
            "hotline.calls.v1", "rb_hotline_call",
            "hotline.callbacks.v1", "rb_hotline_callback");

    private final EventDecoder decoder;
    private final ObjectMapper json;
    private final StagingWriter results = new StagingWriter("rb_screening_result", "result_id, campaign_id, student_hash, school_id, "
            + "district_code, grade, sex, instrument_id, band, risk_rank, critical_item, mode, submitted_at, supersedes");
    private final StagingWriter referrals = new StagingWriter("rb_referral_event", "event_id, referral_id, school_id, district_code, "
            + "hospital_id, risk_level, status, business_status, escalation, requested_at, occurred_at, origin, returned");
    private final StagingWriter caseEvents = new StagingWriter("rb_case_event", "event_id, case_id, school_id, district_code, kind, source, "
            + "risk_level, opened, occurred_at");
    private final StagingWriter caseItems = new StagingWriter("rb_case_item", "event_id, seq, case_id, school_id, district_code, item, code, "
            + "by_whom, due_at, critical, done_at, outcome, exception_code");
    private final StagingWriter calls = new StagingWriter("rb_hotline_call", "call_id, started_at, ended_at, duration_seconds, channel, "
            + "caller_type, age_band, sex, district_code, school_id, categories, risk_level, actions, repeat_caller, escalated, callback_due_at");
    private final StagingWriter callbacks = new StagingWriter("rb_hotline_callback", "call_id, district_code, school_id, due_at, done_at, outcome");
    private final StagingWriter schools = new StagingWriter("rb_school", "school_id, name, district_code, city_code, total, updated_at, enrolment, closed_on");
    private final StagingWriter hospitals = new StagingWriter("rb_hospital", "hospital_id, name, district_code, source_time");
    private final StagingWriter campaigns = new StagingWriter("rb_campaign", "campaign_id, name, owner_area, instruments, grades, opens_at, "
            + "closes_at, updated_at, school_ids");
    private final List<StagingWriter> writers = List.of(results, referrals, calls, schools, campaigns, hospitals, caseEvents, caseItems, callbacks);

    Staging(EventDecoder decoder, ObjectMapper json) {
        this.decoder = decoder;
        this.json = json;
    }

    /** Stages one record; false when the live path would have dead-lettered it. */
    boolean stage(ConsumerRecord<String, String> record) {
        try {
            switch (record.topic()) {
                case "screening.results.v1" -> {
                    ScreeningResultEvent r = decoder.decode(record, ScreeningResultEvent.class).data();
                    results.row(r.resultId(), r.campaignId(), StudentHash.of(r.studentKey()), r.schoolId(), r.districtCode(),
                            r.grade(), r.sex(), r.instrumentId(), r.band(), Risk.valueOf(r.riskLevel()).rank(), r.criticalItem(),
                            r.mode(), r.submittedAt(), r.supersedes());
                }
                case "referral.status.v1" -> {
                    var decoded = decoder.decode(record, ReferralStatusEvent.class);
                    ReferralStatusEvent e = decoded.data();
                    referrals.row(decoded.event().id(), e.referralId(), e.schoolId(), e.districtCode(), e.hospitalId(),
                            e.riskLevel(), e.status(), e.businessStatus(), e.escalation(), e.requestedAt(), e.occurredAt(), e.origin(),
                            e.returned());
                }
                case "screening.casework.v1" -> {
                    var decoded = decoder.decode(record, CaseworkEvent.class);
                    CaseworkEvent e = decoded.data();
                    if (!e.reported()) {
                        return true;
                    }
                    caseEvents.row(decoded.event().id(), e.caseId(), e.schoolId(), e.districtCode(), e.kind(), e.source(), e.riskLevel(),
                            Boolean.TRUE.equals(e.opened()), e.occurredAt());
                    List<CaseworkEvent.Item> items = e.items();
                    for (int i = 0; i < items.size(); i++) {
                        CaseworkEvent.Item it = items.get(i);
                        caseItems.row(decoded.event().id(), i, e.caseId(), e.schoolId(), e.districtCode(), it.item(), it.code(), it.by(),
                                it.dueAt(), it.critical(), it.doneAt(), it.outcome(), it.exceptionCode());
                    }
                }
                case "hotline.calls.v1" -> {
                    HotlineCallEvent c = decoder.decode(record, HotlineCallEvent.class).data();
                    calls.row(c.callId(), c.startedAt(), c.endedAt(), c.durationSeconds(), c.channel(), c.callerType(),
                            c.ageBand(), c.sex(), c.districtCode(), c.schoolId(), HotlineProjection.pgArray(c.categories()),
                            c.riskLevel(), HotlineProjection.pgArray(c.actions()), c.repeatCaller(), Boolean.TRUE.equals(c.escalated()),
                            c.callbackDueAt());
                }
                case "hotline.callbacks.v1" -> {
                    HotlineCallbackEvent c = decoder.decode(record, HotlineCallbackEvent.class).data();
                    callbacks.row(c.callId(), c.districtCode(), c.schoolId(), c.dueAt(), c.doneAt(), c.outcome());
                }
                case "directory.schools.v1" -> {
                    SchoolEvent d = decoder.decode(record, SchoolEvent.class).data();
                    schools.row(d.schoolId(), d.name(), d.districtCode(), d.cityCode(), d.total(), d.updatedAt(),
                            json.writeValueAsString(d.enrolment()), d.closedOn());
                }
                case "directory.campaigns.v1" -> {
                    CampaignEvent c = decoder.decode(record, CampaignEvent.class).data();
                    campaigns.row(c.campaignId(), c.name(), c.ownerArea(), HotlineProjection.pgArray(c.instruments()),
                            HotlineProjection.pgArray(c.grades().stream().map(String::valueOf).toList()), c.opensAt(), c.closesAt(),
                            c.updatedAt(), json.writeValueAsString(c.schoolIds()));
                }
                case "directory.hospitals.v1" -> {
                    HospitalEvent h = decoder.decode(record, HospitalEvent.class).data();
                    hospitals.row(h.hospitalId(), h.name(), h.districtCode(), h.updatedAt());
                }
                default -> throw new RejectedEvent("unexpected topic");
            }
            return true;
        } catch (RejectedEvent | JsonProcessingException e) {
            return false;
        }
    }

    int pending() {
        return writers.stream().mapToInt(StagingWriter::pending).sum();
    }

    void flush(Connection c) throws SQLException {
        for (StagingWriter w : writers) {
            w.flush(c);
        }
    }

    static void createTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            dropTables(s);
            s.execute("create unlogged table rb_screening_result (like screening_result including defaults)");
            s.execute("create unlogged table rb_hospital (like hospital_dim)");
            s.execute("create unlogged table rb_referral_event (like referral_event including defaults)");
            s.execute("create unlogged table rb_case_event (like case_event)");
            s.execute("create unlogged table rb_case_item (like case_item)");
            s.execute("create unlogged table rb_hotline_call (like hotline_call)");
            s.execute("create unlogged table rb_hotline_callback (like hotline_callback)");
            s.execute("""
                    create unlogged table rb_school (school_id varchar(10), name varchar(100), district_code varchar(6),
                        city_code varchar(6), total int, updated_at timestamptz, enrolment jsonb, closed_on date)""");
            s.execute("""
                    create unlogged table rb_campaign (campaign_id uuid, name varchar(200), owner_area varchar(6), instruments text[],
                        grades smallint[], opens_at timestamptz, closes_at timestamptz, updated_at timestamptz, school_ids jsonb)""");
        }
    }

    static void dropTables(Statement s) throws SQLException {
        for (String table : TOPICS.values()) {
            s.execute("drop table if exists " + table);
        }
        s.execute("drop table if exists rb_case_item");
    }
}
