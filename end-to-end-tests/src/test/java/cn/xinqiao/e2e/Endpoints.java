package cn.xinqiao.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST surface of the five services as their OpenAPI documents describe it (path, method, the roles of each
 * operation's security requirement, parameters, body), the demo city's callers with their tenancy, and how to fill
 * an operation's parameters for a caller and a tenant. Shared by the authorization matrix and the bad-input run.
 */
final class Endpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("screening-service", "referral-service", "hotline-service", "reporting-service",
            "notification-service");

    /** Two tenants of the demo city: 任城区 (school 1, hospital 1 is its partner) and 兖州区 (school, hospital 2). */
    record Tenant(String name, String school, String county, String hospital) {
    }

    static final Tenant A = new Tenant("A", "S370811001", "370811", "H370800001");
    static final Tenant B = new Tenant("B", "S370812001", "370812", "H370800002");

    enum Scope { CITY, COUNTY, SCHOOL, HOSPITAL }

    /** A caller: a demo user (or a token variant) with its role and tenancy. */
    record Principal(String name, String role, Scope scope, Tenant home, String token) {
        boolean covers(Target t) {
            if (scope == Scope.CITY || t.scope == null) {
                return true;
            }
            return switch (scope) {
                case SCHOOL -> t.school != null && t.school.equals(home.school);
                case COUNTY -> t.county != null && t.county.equals(home.county);
                case HOSPITAL -> t.hospital != null && t.hospital.equals(home.hospital);
                default -> true;
            };
        }
    }

    /** What a request touches: the tenant it names (null: nothing tenant-specific). */
    record Target(Tenant scope, String school, String county, String hospital) {
    }

    record Operation(String service, String method, String path, List<String> roles, boolean hasBody,
                     List<JsonNode> parameters) {
        boolean isPublic() {
            return roles == null;
        }
    }

    static final Map<String, List<String>> REPORT_ROLES = new TreeMap<>();
    static String campaignId;
    static final Map<Tenant, String> REFERRAL = new LinkedHashMap<>();
    static final Map<Tenant, String> RISK_CASE = new LinkedHashMap<>();

    private Endpoints() {
    }

    // ---- the operations, from OpenAPI -------------------------------------------------------------------------------

    static List<Operation> operations() throws Exception {
        List<Operation> ops = new ArrayList<>();
        for (String service : SERVICES) {
            JsonNode doc = JSON.readTree(given().get(Stack.get().app(service).managementUrl() + "/q/openapi?format=json").then().statusCode(200).extract().asString());
            doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    return;
                }
                JsonNode o = method.getValue();
                if (path.getKey().endsWith("/stream")) {
                    return; // a Server-Sent Events stream never ends; NotificationIT checks who may open it
                }
                List<String> roles = null;
                if (o.has("security")) {
                    roles = new ArrayList<>();
                    for (JsonNode role : o.path("security").get(0).path("SecurityScheme")) {
                        roles.add(role.asText());
                    }
                }
                List<JsonNode> params = new ArrayList<>();
                o.path("parameters").forEach(params::add);
                path.getValue().path("parameters").forEach(params::add);
                Operation op = new Operation(service, method.getKey().toUpperCase(), path.getKey(), roles, o.has("requestBody"), params);
                ops.add(op);
                if (op.method().equals("GET") && op.path().matches("/api/reports/[a-z]+")) {
                    REPORT_ROLES.put(op.path().substring("/api/reports/".length()), roles);
                }
            }));
        }
        return ops;
    }

    /** An export has the roles of the report it exports: one row per kind. */
    static List<String> kinds(Operation op) {
        if (op.path().contains("{kind}")) {
            return List.copyOf(REPORT_ROLES.keySet());
        }
        List<String> one = new ArrayList<>();
        one.add(null);
        return one;
    }

    // ---- who calls ----------------------------------------------------------------------------------------------------

    static List<Principal> users() throws Exception {
        List<Principal> users = new ArrayList<>(List.of(
                user("counselor.jn1", "school-counselor", Scope.SCHOOL, A),
                user("admin.jn1", "school-admin", Scope.SCHOOL, A),
                user("counselor.yz1", "school-counselor", Scope.SCHOOL, B),
                user("operator.hl", "hotline-operator", Scope.CITY, null),
                user("supervisor.hl", "hotline-supervisor", Scope.CITY, null),
                user("clinician.h1", "clinician", Scope.HOSPITAL, A),
                user("clinician.h2", "clinician", Scope.HOSPITAL, B),
                user("analyst.city", "bureau-analyst", Scope.CITY, null),
                user("analyst.rc", "bureau-analyst", Scope.COUNTY, A),
                user("analyst.yz", "bureau-analyst", Scope.COUNTY, B),
                user("admin.platform", "platform-admin", Scope.CITY, null),
                user("expert.city", "expert-reviewer", Scope.CITY, null),
                user("auditor", "auditor", Scope.CITY, null)));
        // a student's session token (issued by screening-service for an access code of school A; valid only there)
        users.add(new Principal("student", "student", Scope.SCHOOL, A, studentToken()));
        // token variants: none, expired, for another audience, tampered — none of them is anyone
        String valid = Stack.token("admin.platform");
        users.add(new Principal("no-token", null, Scope.CITY, null, null));
        users.add(new Principal("expired", null, Scope.CITY, null, expiredToken()));
        users.add(new Principal("wrong-audience", null, Scope.CITY, null, otherAudienceToken()));
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("platform-admin", "auditor\",\"platform-admin").getBytes()) + "." + parts[2];
        users.add(new Principal("tampered", null, Scope.CITY, null, tampered));
        return users;
    }

    static Principal user(String name, String role, Scope scope, Tenant home) throws Exception {
        return new Principal(name, role, scope, home, Stack.token(name));
    }

    static String studentToken() throws Exception {
        String screening = Stack.url("screening-service");
        String campaign = given().auth().oauth2(Stack.token("counselor.jn1")).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        Map<String, Object> slip = given().auth().oauth2(Stack.token("counselor.jn1"))
                .get(screening + "/api/campaigns/" + campaign + "/access-codes?grade=10&className=1班").then().statusCode(200).extract().path("[17]");
        String born = Stack.birthDate(Stack.token("counselor.jn1"), "S370811001", (String) slip.get("studentNumber"));
        return given().contentType("application/json").body(Map.of("accessCode", slip.get("accessCode"), "birthDate", born))
                .post(screening + "/api/student-sessions")
                .then().statusCode(201).extract().path("token");
    }

    /** Keycloak's own admin-cli client: a real token of a real user, but not issued for the Xinqiao APIs. */
    static String otherAudienceToken() throws Exception {
        String token = given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin.platform").formParam("password", "xinqiao")
                .post(Stack.get().issuer() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertTrue(!payload.contains("xinqiao-api"), "admin-cli's token does not name the Xinqiao audience");
        return token;
    }

    /** A client made for this test whose tokens live 1 s (otherwise like the CLI's); its token is used after expiry. */
    static String expiredToken() throws Exception {
        String keycloak = Stack.get().keycloakUrl();
        String admin = given().formParam("grant_type", "password").formParam("client_id", "admin-cli").formParam("username", "admin")
                .formParam("password", Stack.get().keycloakAdminPassword()).post(keycloak + "/realms/master/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
        String clientId = "matrix-expiry-probe";
        if (given().auth().oauth2(admin).get(keycloak + "/admin/realms/xinqiao/clients?clientId=" + clientId).then().extract()
                .jsonPath().getList("$").isEmpty()) {
            given().auth().oauth2(admin).contentType("application/json").body(Map.of("clientId", clientId, "publicClient", true,
                            "directAccessGrantsEnabled", true, "standardFlowEnabled", false, "attributes", Map.of("access.token.lifespan", "1"),
                            "protocolMappers", List.of(Map.of("name", "xinqiao-api-audience", "protocol", "openid-connect",
                                    "protocolMapper", "oidc-audience-mapper",
                                    "config", Map.of("included.custom.audience", "xinqiao-api", "access.token.claim", "true")))))
                    .post(keycloak + "/admin/realms/xinqiao/clients").then().statusCode(201);
        }
        String token = given().formParam("grant_type", "password").formParam("client_id", clientId)
                .formParam("username", "admin.platform").formParam("password", "xinqiao")
                .post(Stack.get().issuer() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertTrue(claims.path("exp").asLong() - claims.path("iat").asLong() <= 1, "the probe's token lives 1 s");
        Thread.sleep(3000);
        // the same token minted a moment ago would have been accepted: prove it is only the expiry that refuses it
        return token;
    }

    /** Real resources of each tenant: a referral (school + hospital) and a risk case. */
    static void fixtures() throws Exception {
        String screening = Stack.url("screening-service");
        String referral = Stack.url("referral-service");
        campaignId = given().auth().oauth2(Stack.token("counselor.jn1")).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        for (Tenant t : List.of(A, B)) {
            String counselor = t == A ? "counselor.jn1" : "counselor.yz1";
            List<Map<String, Object>> cases = given().auth().oauth2(Stack.token(counselor)).get(screening + "/api/schools/" + t.school() + "/risk-queue")
                    .then().statusCode(200).extract().path("$");
            assertTrue(!cases.isEmpty(), "the demo city has a risk case at " + t.school());
            RISK_CASE.put(t, (String) cases.get(0).get("id"));
            List<Map<String, Object>> referrals = given().auth().oauth2(Stack.token(counselor)).get(referral + "/api/referrals")
                    .then().statusCode(200).extract().path("$");
            Map<String, Object> mine = referrals.stream().filter(r -> t.hospital().equals(r.get("hospitalId"))).findFirst()
                    .orElseThrow(() -> new AssertionError("the demo city has a referral from " + t.school() + " to " + t.hospital()));
            REFERRAL.put(t, (String) mine.get("id"));
        }
    }

    // ---- one request ---------------------------------------------------------------------------------------------------

    static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    record Request(String service, String method, String path, Map<String, String> query, boolean broken, Target target) {
        int send(String token) throws Exception {
            return broken ? send(token, Map.of(), "application/json", "{\"broken\": ".getBytes()).statusCode()
                    : send(token, Map.of(), null, null).statusCode();
        }

        /** Sends with this body (null: none) and these query parameters on top of the operation's own. */
        Response send(String token, Map<String, String> extraQuery, String contentType, byte[] body) throws Exception {
            // from a test-only network of its own: the wrong codes the runs send (student and guardian logins) spend that
            // network's failure budget, not the one the other tests' students log in from
            RequestSpecification spec = given().urlEncodingEnabled(true).header("X-Forwarded-For", "198.18.0.1");
            if (token != null) {
                spec.auth().oauth2(token);
            }
            Map<String, String> all = new LinkedHashMap<>(query);
            all.putAll(extraQuery); // a parameter under test replaces the operation's own value
            all.forEach(spec::queryParam);
            if (body != null) {
                spec.contentType(contentType).body(body);
            }
            return spec.request(method, Stack.url(service) + path);
        }
    }

    /** Fills the operation's parameters for this caller and tenant; the tenant-bearing ones decide the target. */
    static Request request(Operation op, String kind, Principal p, Tenant t) {
        String path = op.path();
        Map<String, String> query = new LinkedHashMap<>();
        Tenant scope = null;
        String school = null;
        String county = null;
        String hospital = null;
        for (JsonNode param : op.parameters()) {
            String name = param.path("name").asText();
            boolean inPath = "path".equals(param.path("in").asText());
            boolean required = param.path("required").asBoolean(false);
            String value = null;
            switch (name) {
                case "schoolId" -> { value = t.school(); scope = t; school = t.school(); county = t.county(); }
                case "districtCode" -> { value = t.county(); scope = t; county = t.county(); }
                case "hospitalId" -> { value = t.hospital(); scope = t; hospital = t.hospital(); }
                case "code" -> {
                    if (op.path().startsWith("/api/partnerships")) {
                        value = t.county();
                        scope = t;
                        county = t.county();
                    } else if (p.scope() == Scope.SCHOOL) {
                        value = t.school();
                        query.put("level", "school");
                        scope = t;
                        school = t.school();
                        county = t.county();
                    } else {
                        value = t.county();
                        query.put("level", "county");
                        scope = t;
                        county = t.county();
                    }
                }
                case "orgId" -> {
                    // an on-call list or delivery log of the caller's own kind of organisation in the tenant
                    String role = p.role() == null ? "" : p.role();
                    if (role.startsWith("hotline-")) {
                        value = "HL370800";
                    } else if (role.equals("clinician")) {
                        value = t.hospital();
                        scope = t;
                        hospital = t.hospital();
                    } else if (role.equals("bureau-analyst")) {
                        value = t.county();
                        scope = t;
                        county = t.county();
                    } else {
                        value = t.school();
                        scope = t;
                        school = t.school();
                        county = t.county();
                    }
                }
                case "level" -> { }
                case "scope" -> value = "county";
                case "kind" -> value = kind;
                case "campaignId" -> value = campaignId;
                case "format" -> value = "csv";
                case "version" -> value = "1.0";
                case "studentKey" -> value = "A".repeat(43);
                // the demo city's first student of the tenant's school (DemoCity numbers them school suffix + 4 digits)
                case "studentNumber" -> { value = t.school().substring(7) + "0001"; scope = t; school = t.school(); county = t.county(); }
                case "caseId" -> { value = RISK_CASE.get(t); scope = t; school = t.school(); county = t.county(); }
                case "followUpId" -> value = UUID.nameUUIDFromBytes((op.path() + t.name()).getBytes()).toString(); // nothing there: 404 when allowed
                case "id", "importId" -> {
                    if (op.path().startsWith("/api/referrals/")) {
                        value = REFERRAL.get(t);
                        scope = t;
                        school = t.school();
                        county = t.county();
                        hospital = t.hospital();
                    } else if (op.path().startsWith("/api/campaigns/")) {
                        value = campaignId; // the demo campaign spans both tenants; each caller sees its own part
                    } else if (op.path().startsWith("/api/instruments/")) {
                        value = "PHQ-A";
                    } else {
                        value = UUID.nameUUIDFromBytes((op.path() + t.name()).getBytes()).toString(); // nothing there: 404 when allowed
                    }
                }
                default -> {
                    if (required || inPath) {
                        throw new AssertionError("no sample value for required parameter " + name + " of " + op.path());
                    }
                }
            }
            if (value == null) {
                continue;
            }
            if (inPath) {
                path = path.replace("{" + name + "}", value);
            } else {
                query.put(name, value);
            }
        }
        boolean broken = op.hasBody();
        return new Request(op.service(), op.method(), path, query, broken, new Target(scope, school, county, hospital));
    }
}
