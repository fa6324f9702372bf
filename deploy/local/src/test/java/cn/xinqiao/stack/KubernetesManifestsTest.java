package cn.xinqiao.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9: every manifest under deploy/k8s parses, and the base says what the design needs — probes on Quarkus
 * health, requests, an HPA (CPU; consumer lag for the consumers) and a PDB per Deployment; Kafka with three
 * brokers, replication 3 and min.insync.replicas 2; every contract topic and every dead-letter topic the services
 * are configured with; a hospital's principal that reads its own topic and nothing else; PostgreSQL with three
 * instances and a database per service; overlays that patch only what exists.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("xinqiao.root", "../..")).toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, List<JsonNode>> BASE = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.walk(K8S.resolve("base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).toList()) {
                for (JsonNode doc : documents(file)) {
                    BASE.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
                }
            }
        }
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> kind(String kind) {
        return BASE.getOrDefault(kind, List.of());
    }

    private static JsonNode named(String kind, String name) {
        return kind(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** The image each Deployment runs is the one the build makes (deploy/images: registry and tag from the root pom). */
    @Test
    void everyDeploymentRunsTheImageTheBuildProduces() {
        String registry = System.getProperty("xinqiao.image.registry");
        String tag = System.getProperty("xinqiao.image.tag");
        assertTrue(registry != null && tag != null, "the build passes the image registry and tag");
        Set<String> deployed = new HashSet<>();
        for (JsonNode deployment : kind("Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                assertEquals(registry + "/" + name + ":" + tag, container.path("image").asText(), "the image of Deployment " + name);
            }
            deployed.add(name);
        }
        assertEquals(Set.of("screening-service", "referral-service", "hotline-service", "reporting-service", "notification-service", "web"),
                deployed, "a Deployment per image the build makes");
    }

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        int documents = 0;
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc : documents(file)) {
                    documents++;
                    assertFalse(doc.path("apiVersion").asText().isEmpty(), file + ": apiVersion");
                    assertFalse(doc.path("kind").asText().isEmpty(), file + ": kind");
                    if (!doc.path("kind").asText().equals("Kustomization")) {
                        assertFalse(doc.path("metadata").path("name").asText().isEmpty(), file + ": metadata.name");
                    }
                }
            }
        }
        System.out.println("k8s manifests: " + documents + " documents; base kinds " + BASE.keySet());
        assertTrue(documents > 40, "documents: " + documents);
    }

    @Test
    void kustomizationsReferToFilesThatExistAndPatchOnlyWhatTheBaseHas() throws IOException {
        for (String dir : List.of("base", "overlays/dev", "overlays/prod")) {
            JsonNode k = YAML.readTree(K8S.resolve(dir).resolve("kustomization.yaml").toFile());
            for (JsonNode resource : k.path("resources")) {
                Path target = K8S.resolve(dir).resolve(resource.asText()).normalize();
                assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")), dir + " -> " + resource);
            }
            for (JsonNode patch : k.path("patches")) {
                String kind = patch.path("target").path("kind").asText();
                assertFalse(kind(kind).isEmpty(), dir + ": a patch for " + kind + ", which the base does not have");
                if (patch.path("target").has("name")) {
                    named(kind, patch.path("target").path("name").asText());
                }
            }
        }
    }

    @Test
    void everyDeploymentHasHealthProbesRequestsAnAutoscalerAndADisruptionBudget() {
        List<JsonNode> deployments = kind("Deployment");
        assertEquals(Set.of("screening-service", "referral-service", "hotline-service", "reporting-service", "notification-service", "web"),
                Set.copyOf(deployments.stream().map(d -> d.path("metadata").path("name").asText()).toList()));
        for (JsonNode d : deployments) {
            String name = d.path("metadata").path("name").asText();
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(), name);
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText(), name);
            // probes reach the management interface; the Service (what the ingress and other pods use) never exposes it
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertEquals("management", container.path(probe).path("httpGet").path("port").asText(), name + " " + probe);
            }
            named("Service", name).path("spec").path("ports").forEach(p ->
                    assertEquals("http", p.path("targetPort").asText(), name + ": the Service exposes the API port only"));
            assertFalse(container.path("resources").path("requests").path("cpu").asText().isEmpty(), name + ": cpu request");
            assertFalse(container.path("resources").path("requests").path("memory").asText().isEmpty(), name + ": memory request");
            JsonNode hpa = named("HorizontalPodAutoscaler", name);
            assertEquals(name, hpa.path("spec").path("scaleTargetRef").path("name").asText());
            List<String> metrics = new ArrayList<>();
            hpa.path("spec").path("metrics").forEach(m -> metrics.add(m.path("type").asText() + ":"
                    + m.path("resource").path("name").asText() + m.path("external").path("metric").path("name").asText()));
            assertTrue(metrics.contains("Resource:cpu"), name + ": CPU metric");
            if (List.of("screening-service", "referral-service", "reporting-service").contains(name)) {
                assertTrue(metrics.contains("External:kafka_consumergroup_lag"), name + ": consumer-lag metric");
            }
            JsonNode pdb = named("PodDisruptionBudget", name);
            assertEquals(d.path("spec").path("selector").path("matchLabels"), pdb.path("spec").path("selector").path("matchLabels"), name);
            named("Service", name);
        }
    }

    @Test
    void eachServiceReadsOnlyItsOwnSecretsAsTheLocalStackGivesThem() {
        for (JsonNode d : kind("Deployment")) {
            String name = d.path("metadata").path("name").asText();
            JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
            Set<String> secrets = new HashSet<>();
            container.path("envFrom").forEach(e -> {
                if (e.has("secretRef")) {
                    secrets.add(e.path("secretRef").path("name").asText());
                }
            });
            Set<String> database = new HashSet<>();
            container.path("env").forEach(e -> {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (ref.isMissingNode()) {
                    return;
                }
                String secret = ref.path("name").asText();
                if (secret.endsWith("-db-app") || secret.endsWith("-db-owner")) {
                    database.add(secret);
                } else {
                    secrets.add(secret);
                }
            });
            // its own database's two logins, as the local stack gives them: the runtime role, and the owner for migrations
            String db = name.replace("-service", "");
            assertEquals(name.equals("web") ? Set.of() : Set.of(db + "-db-app", db + "-db-owner"), database, name + "'s database logins");
            assertTrue(Set.of(name, name + "-secrets").containsAll(secrets), name + " reads another's secrets: " + secrets);
            assertEquals(!ServiceLaunch.SECRETS.get(name).isEmpty(), secrets.contains(name + "-secrets"),
                    name + ": a Secret of its own exactly when the local stack gives it secrets");
        }
    }

    /** The production realm: nothing of the demo realm's conveniences, and what a city's staff accounts need. */
    @Test
    void theProductionRealmHasNoDemoConveniencesAndAsksStaffForASecondFactor() throws IOException {
        JsonNode realm = named("KeycloakRealmImport", "xinqiao-realm").path("spec").path("realm");
        assertEquals("xinqiao", realm.path("realm").asText());
        assertEquals("external", realm.path("sslRequired").asText());
        assertTrue(realm.path("passwordPolicy").asText().contains("length(12)"), realm.path("passwordPolicy").asText());
        assertTrue(realm.path("bruteForceProtected").asBoolean());
        Set<String> clients = new HashSet<>();
        realm.path("clients").forEach(c -> {
            clients.add(c.path("clientId").asText());
            assertFalse(c.path("directAccessGrantsEnabled").asBoolean(), c.path("clientId").asText() + ": no password grant");
            if (c.has("secret")) {
                assertTrue(c.path("secret").asText().matches("\\$\\{[A-Z_]+}"), c.path("clientId") + ": a placeholder, never a committed secret");
            }
            c.path("redirectUris").forEach(u -> assertTrue(u.asText().startsWith("https://"), "redirect over TLS only: " + u));
        });
        assertFalse(clients.contains("xinqiao-cli") || clients.contains("xinqiao-loader"), "demo-only clients: " + clients);
        assertTrue(clients.containsAll(Set.of("xinqiao-web", "referral-service")), clients.toString());
        List<String> users = new ArrayList<>();
        realm.path("users").forEach(u -> users.add(u.path("username").asText()));
        assertEquals(List.of("service-account-referral-service"), users, "no demo users; the one service account that needs a role");
        realm.path("users").forEach(u -> assertFalse(u.path("realmRoles").toString().contains("platform-admin"), "no service account administers the platform"));
        boolean totp = false;
        for (JsonNode a : realm.path("requiredActions")) {
            totp |= a.path("alias").asText().equals("CONFIGURE_TOTP") && a.path("enabled").asBoolean() && a.path("defaultAction").asBoolean();
        }
        assertTrue(totp, "every staff account sets up a one-time-password app at first sign-in");
        // the demo realm is the local stack's alone
        JsonNode demo = YAML.readTree(Files.readString(ROOT.resolve("deploy/local/src/main/resources/keycloak/xinqiao-realm.json")));
        assertEquals("none", demo.path("sslRequired").asText());
    }

    @Test
    void everyDatabaseIsOwnedByItsOwnRoleAndTheServicesRunAsAnother() {
        JsonNode cluster = named("Cluster", "xinqiao-db");
        Set<String> roles = new HashSet<>();
        cluster.path("spec").path("managed").path("roles").forEach(r -> roles.add(r.path("name").asText()));
        assertEquals("screening_owner", cluster.path("spec").path("bootstrap").path("initdb").path("owner").asText());
        for (String db : List.of("screening", "referral", "hotline", "reporting", "notification")) {
            assertTrue(roles.containsAll(Set.of(db + "_owner", db + "_app")), db + ": " + roles);
            if (!db.equals("screening")) {
                assertEquals(db + "_owner", named("Database", db).path("spec").path("owner").asText(), db);
            }
        }
        assertEquals("keycloak", named("Database", "keycloak").path("spec").path("owner").asText());
        assertTrue(roles.contains("keycloak"));
        assertTrue(kind("Database").stream().noneMatch(d -> d.path("spec").path("owner").asText().equals("xinqiao")), "no shared owner");
    }

    @Test
    void kafkaHasThreeBrokersReplicationThreeAndEveryTopicTheServicesUse() throws IOException {
        assertEquals(3, named("KafkaNodePool", "dual-role").path("spec").path("replicas").asInt());
        JsonNode config = named("Kafka", "xinqiao").path("spec").path("kafka").path("config");
        assertEquals(3, config.path("default.replication.factor").asInt());
        assertEquals(2, config.path("min.insync.replicas").asInt());
        assertFalse(config.path("auto.create.topics.enable").asBoolean(true), "topics only as declared");

        Map<String, JsonNode> topics = new TreeMap<>();
        kind("KafkaTopic").forEach(t -> topics.put(t.path("spec").path("topicName").asText(), t));
        Set<String> wanted = new HashSet<>();
        Set<String> compacted = new HashSet<>();
        for (JsonNode channel : YAML.readTree(ROOT.resolve("contracts/asyncapi.yaml").toFile()).path("channels")) {
            String address = channel.path("address").asText();
            if (channel.path("description").asText().contains("Compacted")) {
                compacted.add(address);
            }
            if (address.contains("{hospitalId}")) {
                LocalStack.DEMO_HOSPITALS.forEach(h -> wanted.add(address.replace("{hospitalId}", h)));
            } else {
                wanted.add(address);
            }
        }
        Pattern dlq = Pattern.compile("dead-letter-queue\\.topic=(\\S+)");
        for (String service : List.of("screening-service", "referral-service", "hotline-service", "reporting-service", "notification-service")) {
            Matcher m = dlq.matcher(Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties")));
            while (m.find()) {
                wanted.add(m.group(1));
            }
        }
        assertTrue(wanted.size() >= 17, "contract + hospital + dead-letter topics: " + wanted);
        for (String topic : wanted) {
            JsonNode t = topics.get(topic);
            assertTrue(t != null, "no KafkaTopic for " + topic);
            assertEquals(3, t.path("spec").path("replicas").asInt(), topic);
            assertEquals(2, t.path("spec").path("config").path("min.insync.replicas").asInt(), topic);
            assertEquals(compacted.contains(topic) ? "compact" : "delete", t.path("spec").path("config").path("cleanup.policy").asText(), topic);
        }
    }

    @Test
    void aHospitalsPrincipalReadsItsOwnTopicWritesItsOwnRepliesAndNothingElse() {
        for (String hospital : LocalStack.DEMO_HOSPITALS) {
            JsonNode user = named("KafkaUser", "hospital-" + hospital.toLowerCase());
            Set<String> granted = new HashSet<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                Set<String> ops = new HashSet<>();
                acl.path("operations").forEach(o -> ops.add(o.asText()));
                if (resource.path("type").asText().equals("topic")) {
                    String name = resource.path("name").asText();
                    assertEquals("literal", resource.path("patternType").asText(), hospital + ": no prefix that could match another hospital");
                    if (name.equals("referral.hospital." + hospital + ".v1")) {
                        assertEquals(Set.of("Read", "Describe"), ops, hospital + " only reads its referrals");
                    } else {
                        assertEquals("referral.hospital." + hospital + ".replies.v1", name, hospital);
                        assertEquals(Set.of("Write", "Describe"), ops, hospital + " only writes its replies");
                    }
                    granted.add(name);
                } else {
                    assertEquals("group", resource.path("type").asText(), hospital);
                    assertEquals(Set.of("Read"), ops, hospital);
                }
            }
            assertEquals(Set.of("referral.hospital." + hospital + ".v1", "referral.hospital." + hospital + ".replies.v1"), granted, hospital);
        }
        // no service principal may read a hospital's referral topic (referral-service writes them) nor write its replies
        for (JsonNode user : kind("KafkaUser")) {
            String name = user.path("metadata").path("name").asText();
            if (name.startsWith("hospital-")) {
                continue;
            }
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                String topic = acl.path("resource").path("name").asText();
                boolean literal = acl.path("resource").path("patternType").asText().equals("literal");
                String ops = acl.path("operations").toString();
                if (topic.startsWith("referral.hospital.") && ops.contains("Read")) {
                    assertTrue(name.equals("referral-service") && literal && topic.endsWith(".replies.v1"),
                            name + " reads a hospital's referral topic: " + topic);
                }
            }
        }
    }

    @Test
    void postgresHasThreeInstancesAndADatabasePerService() {
        JsonNode cluster = named("Cluster", "xinqiao-db");
        assertEquals(3, cluster.path("spec").path("instances").asInt());
        Set<String> databases = new HashSet<>(Set.of(cluster.path("spec").path("bootstrap").path("initdb").path("database").asText()));
        kind("Database").forEach(d -> databases.add(d.path("spec").path("name").asText()));
        assertTrue(databases.containsAll(Set.of("screening", "referral", "hotline", "reporting", "notification", "keycloak")), databases.toString());
    }
}
