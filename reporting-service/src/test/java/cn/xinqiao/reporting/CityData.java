package cn.xinqiao.reporting;

import cn.xinqiao.testing.KafkaProbe;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A generated, seeded data set for two counties of a city, sent as CloudEvents to the real topics,
 * with the expected aggregates computed by hand (plain loops, no SQL) for the tests to compare.
 */
final class CityData {

    static final String CITY = "370800";
    static final String COUNTY_A = "370826";
    static final String COUNTY_B = "370827";
    static final List<String> SCHOOLS = List.of("S370826001", "S370826002", "S370827001");
    static final String[] RISKS = {"NONE", "LOW", "MODERATE", "HIGH", "CRITICAL"};
    static final List<String> PHQ_BANDS = List.of("minimal", "mild", "moderate", "moderately-severe", "severe");
    static final List<String> GAD_BANDS = List.of("minimal", "mild", "moderate", "severe");

    final UUID campaign = UUID.randomUUID();
    final List<UUID> eventIds = new ArrayList<>();
    final Map<String, Long> enrolled = new LinkedHashMap<>();           // school -> grades 7+8 enrolment
    final Map<String, Long> notConsenting = new LinkedHashMap<>();      // school -> of those, guardians declined or withdrew
    final Map<String, long[]> studentsByRisk = new LinkedHashMap<>();   // school -> students by campaign risk
    final Map<String, long[]> phqBands = new LinkedHashMap<>();         // school -> PHQ-A results by band
    final Map<String, long[]> modes = new LinkedHashMap<>();            // school -> online, paper results
    final Map<String, List<Double>> acceptHours = new LinkedHashMap<>(); // county -> request→accept hours
    final Map<String, Long> referralsRequested = new LinkedHashMap<>();
    final long[] callsByHour = new long[24];
    String firstResult;
    UUID firstResultEvent;
    /** The first student's results: instrument -> risk rank (to follow a conflict review that replaces one). */
    final Map<String, Integer> firstStudentRisks = new LinkedHashMap<>();
    private String firstKey;

    private final KafkaProbe kafka;
    private final Random random = new Random(7);

    CityData(KafkaProbe kafka) {
        this.kafka = kafka;
    }

    static String county(String school) {
        return school.substring(1, 7);
    }

    CityData send() {
        int[] students = {60, 35, 3}; // the third school is tiny: its cells are all small
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        for (int s = 0; s < SCHOOLS.size(); s++) {
            String school = SCHOOLS.get(s);
            int girls7 = students[s] / 4 + 2;
            int boys7 = students[s] / 4 + 1;
            int girls8 = students[s] / 4 + 3;
            int boys8 = students[s] - students[s] / 4 * 3 + 4;
            enrolled.put(school, (long) girls7 + boys7 + girls8 + boys8);
            int declined8 = new int[]{6, 2, 0}[s];
            notConsenting.put(school, (long) declined8);
            send("directory.schools.v1", school, "cn.xinqiao.directory.school.v1", """
                    {"schoolId":"%s","name":"报告测试学校%d","districtCode":"%s","cityCode":"370800",
                     "enrolment":[{"grade":7,"sex":"FEMALE","count":%d},{"grade":7,"sex":"MALE","count":%d},
                                  {"grade":8,"sex":"FEMALE","count":%d,"notConsenting":%d},{"grade":8,"sex":"MALE","count":%d},
                                  {"grade":9,"sex":"MALE","count":50,"notConsenting":7}],
                     "total":%d,"updatedAt":"%s"}""".formatted(school, s, county(school), girls7, boys7, girls8, declined8, boys8,
                    girls7 + boys7 + girls8 + boys8 + 50, now.minusDays(30)));
            studentsByRisk.put(school, new long[5]);
            phqBands.put(school, new long[5]);
            modes.put(school, new long[2]);
        }
        send("directory.campaigns.v1", campaign.toString(), "cn.xinqiao.directory.campaign.v1", """
                {"campaignId":"%s","name":"报告测试筛查","ownerArea":"370800","instruments":["PHQ-A","GAD-7"],"grades":[7,8],
                 "schoolIds":%s,"opensAt":"%s","closesAt":"%s","updatedAt":"%s"}""".formatted(campaign,
                SCHOOLS.stream().map(x -> "\"" + x + "\"").toList(), now.minusDays(10), now.plusDays(10), now.minusDays(11)));

        for (int s = 0; s < SCHOOLS.size(); s++) {
            String school = SCHOOLS.get(s);
            for (int i = 0; i < students[s]; i++) {
                String key = "k-" + school + "-" + i + "-" + campaign.toString().substring(0, 8);
                int grade = 7 + random.nextInt(2);
                String sex = random.nextBoolean() ? "FEMALE" : "MALE";
                int maxRisk = -1;
                if (random.nextInt(10) < 9) {
                    int risk = random.nextInt(5);
                    int band = random.nextInt(5);
                    result(school, key, grade, sex, "PHQ-A", PHQ_BANDS.get(band), risk, now.minusDays(2).plusMinutes(i));
                    phqBands.get(school)[band]++;
                    maxRisk = Math.max(maxRisk, risk);
                }
                if (random.nextInt(10) < 6) {
                    int risk = random.nextInt(5);
                    result(school, key, grade, sex, "GAD-7", GAD_BANDS.get(random.nextInt(4)), risk, now.minusDays(2).plusMinutes(i + 1));
                    maxRisk = Math.max(maxRisk, risk);
                }
                if (maxRisk >= 0) {
                    studentsByRisk.get(school)[maxRisk]++;
                }
            }
        }
        send("directory.hospitals.v1", "H370800001", "cn.xinqiao.directory.hospital.v1", """
                {"hospitalId":"H370800001","name":"报告测试精神卫生中心","districtCode":"370800","updatedAt":"%s"}""".formatted(now));
        referrals(now);
        calls(now);
        return this;
    }

    private void result(String school, String key, int grade, String sex, String instrument, String band, int risk, OffsetDateTime at) {
        UUID id = UUID.randomUUID();
        boolean paper = random.nextInt(5) == 0;
        modes.get(school)[paper ? 1 : 0]++;
        String json = """
                {"resultId":"%s","campaignId":"%s","studentKey":"%s","schoolId":"%s","districtCode":"%s","grade":%d,"sex":"%s",
                 "instrumentId":"%s","instrumentVersion":"1","mode":"%s","totalScore":%d,"band":"%s","criticalItem":%s,
                 "riskLevel":"%s","rule":"test","policyVersion":"1","submittedAt":"%s"}""".formatted(id, campaign, key, school,
                county(school), grade, sex, instrument, paper ? "PAPER" : "ONLINE", random.nextInt(20), band, risk == 4,
                RISKS[risk], at);
        UUID event = send("screening.results.v1", campaign.toString(), "cn.xinqiao.screening.result.v1", json);
        if (firstResult == null) {
            firstResult = json;
            firstResultEvent = event;
            firstKey = key;
        }
        if (key.equals(firstKey)) {
            firstStudentRisks.put(instrument, risk);
        }
    }

    /** Referrals with their status events sent out of order (accepted before requested, seen before accepted). */
    private void referrals(OffsetDateTime now) {
        for (int i = 0; i < 14; i++) {
            String school = SCHOOLS.get(i % 2 == 0 ? 0 : 2);
            String county = county(school);
            UUID referral = UUID.randomUUID();
            OffsetDateTime requested = now.minusDays(5).plusHours(i);
            referralsRequested.merge(county, 1L, Long::sum);
            List<String> events = new ArrayList<>();
            events.add(status(referral, school, "requested", "routed", requested, requested, null));
            if (i % 7 != 6) {
                double hours = 1 + (i * 37 % 50) / 2.0;
                acceptHours.computeIfAbsent(county, k -> new ArrayList<>()).add(hours);
                OffsetDateTime accepted = requested.plusMinutes((long) (hours * 60));
                events.add(status(referral, school, "accepted", "accepted", requested, accepted, null));
                events.add(status(referral, school, "completed", "seen", requested, accepted.plusDays(2), null));
            } else {
                events.add(status(referral, school, "requested", "escalated", requested, requested.plusHours(2), "BUREAU_ALERT"));
            }
            java.util.Collections.reverse(events);
            for (String e : events) {
                send("referral.status.v1", referral.toString(), "cn.xinqiao.referral.status.v1", e);
            }
        }
    }

    private static String status(UUID referral, String school, String status, String business, OffsetDateTime requested,
                                 OffsetDateTime at, String escalation) {
        return """
                {"referralId":"%s","studentKey":"k-%s","schoolId":"%s","districtCode":"%s","hospitalId":"H370800001",
                 "riskLevel":"CRITICAL","status":"%s","businessStatus":"%s",%s"requestedAt":"%s","occurredAt":"%s"}"""
                .formatted(referral, referral, school, county(school), status, business,
                        escalation == null ? "" : "\"escalation\":\"" + escalation + "\",", requested, at);
    }

    private void calls(OffsetDateTime now) {
        Instant base = now.minusDays(3).toInstant().truncatedTo(ChronoUnit.DAYS); // 00:00 UTC = 08:00 China time
        for (int i = 0; i < 20; i++) {
            Instant start = base.plus(i * 5L % 24, ChronoUnit.HOURS).plus(i, ChronoUnit.MINUTES);
            int chinaHour = (int) ((start.getEpochSecond() / 3600 + 8) % 24);
            callsByHour[chinaHour]++;
            send("hotline.calls.v1", UUID.randomUUID().toString(), "cn.xinqiao.hotline.call.v1", """
                    {"callId":"%s","startedAt":"%s","endedAt":"%s","durationSeconds":600,"channel":"PHONE","callerType":"STUDENT",
                     "districtCode":"%s","categories":["emotion.anxiety"],"riskLevel":"%s","actions":["COUNSELLING"],
                     "repeatCaller":false,"escalated":false}""".formatted(UUID.randomUUID(), start, start.plusSeconds(600),
                    i % 2 == 0 ? COUNTY_A : COUNTY_B, RISKS[i % 5]));
        }
    }

    UUID send(String topic, String key, String type, String data) {
        UUID id = UUID.randomUUID();
        kafka.sendCloudEvent(topic, key, id, type, data);
        eventIds.add(id);
        return id;
    }

    /** percentile_cont: linear interpolation between the closest ranks. */
    static double percentile(List<Double> values, double p) {
        List<Double> v = values.stream().sorted().toList();
        double rank = p * (v.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return v.get(lo) + (rank - lo) * (v.get(hi) - v.get(lo));
    }
}
