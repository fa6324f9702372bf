package cn.xinqiao.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.postgresql.PGConnection;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import static cn.xinqiao.bench.StackApi.JSON;

/**
 * The benchmark city in screening-service: its schools (through the API, so their directory events go out), their
 * students (by COPY, once: a million rows through the roster API would take the benchmark's whole evening), the
 * city-wide campaign (screening-service issues the codes itself) and each school's codes as the school prints them.
 */
final class BenchCity {

    private BenchCity() {
    }

    static void putSchool(String screening, String admin, String id) throws Exception {
        StackApi.send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/schools/" + id))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "name", "压测中学 " + id + " benchmark school", "districtCode", id.substring(1, 7), "stage", "COMPLETE")))));
    }

    /** Rostered students with random pseudonymous keys (43 base64url characters, like the real ones), by COPY. */
    static void generateStudents(Connection c, List<String> schoolIds, int perSchool) throws Exception {
        SecureRandom random = new SecureRandom();
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        c.createStatement().execute("delete from student s where s.school_id = any('{" + String.join(",", schoolIds) + "}')"
                + " and not exists (select 1 from access_code a where a.student_id = s.id)");
        for (String school : schoolIds) {
            StringBuilder rows = new StringBuilder(perSchool * 160);
            for (int n = 0; n < perSchool; n++) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                int grade = 7 + n % 6;
                rows.append(UUID.randomUUID()).append('\t').append(school).append('\t').append(String.format("C%06d", n)).append('\t')
                        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(key)).append('\t')
                        .append("学生").append(n).append('\t').append(n % 2 == 0 ? "FEMALE" : "MALE").append('\t')
                        .append(LocalDate.of(2019 - grade, 1 + n % 12, 1 + n % 28)).append('\t').append(grade).append('\t').append(grade).append("年级").append(1 + n / 6 % 12).append("班").append('\t')
                        .append("家长").append(n).append('\t').append(String.format("139%08d", n)).append('\n');
            }
            copy.copyIn("copy student (id, school_id, student_number, student_key, name, sex, birth_date, grade, class_name, guardian_name, guardian_phone) "
                    + "from stdin", new StringReader(rows.toString()));
        }
    }

    /** One school's codes by student number, from the slips API (the platform admin may read them). */
    static Map<String, String> slips(String screening, String admin, String campaign, String schoolId) {
        try {
            Map<String, String> codes = new HashMap<>();
            JSON.readTree(StackApi.send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/campaigns/" + campaign
                    + "/access-codes?schoolId=" + schoolId)).GET()).body())
                    .forEach(slip -> codes.put(slip.path("studentNumber").asText(), slip.path("accessCode").asText()));
            return codes;
        } catch (Exception e) {
            throw new IllegalStateException("the slips of " + schoolId, e);
        }
    }

    static String campaign(Connection c, String screening, String admin, List<String> schoolIds) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "select id from campaign where name = ? and closes_at > now() + interval '1 hour' order by created_at desc limit 1")) {
            ps.setString(1, CityWaveBenchmark.CAMPAIGN_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && count(c, "select count(*) from access_code where campaign_id = cast(? as uuid)", rs.getString(1)) > 0) {
                    return rs.getString(1);
                }
            }
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long t0 = System.nanoTime();
        JsonNode created = JSON.readTree(StackApi.send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/campaigns"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", CityWaveBenchmark.CAMPAIGN_NAME,
                        "instruments", List.of("PHQ-A", "GAD-7"), "schoolIds", schoolIds, "grades", List.of(7, 8, 9, 10, 11, 12),
                        "opensAt", now.minusMinutes(5).toString(), "closesAt", now.plusDays(30).toString())))), Duration.ofMinutes(30)).body());
        System.out.printf("[city] campaign created, codes issued by screening-service in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return created.path("id").asText();
    }

    static long count(Connection c, String sql, Object parameter) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter instanceof List<?> list) {
                ps.setArray(1, c.createArrayOf("varchar", list.toArray()));
            } else {
                ps.setString(1, parameter.toString());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
