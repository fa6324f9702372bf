package cn.xinqiao.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks an event against {@code contracts/asyncapi.yaml}: the topic must be a declared channel, the
 * CloudEvents headers must be present with the channel's {@code ce_type}, and the data must satisfy the
 * channel's JSON Schema (draft 2020-12, formats asserted). Producers call it from their tests on records
 * read back from the real broker.
 */
public final class ContractValidator {

    private static final String SCHEMA_BASE = "https://xinqiao.cn/contracts/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Channel> channels;

    private ContractValidator(List<Channel> channels) {
        this.channels = channels;
    }

    /** Loads the AsyncAPI document and every schema it references from the classpath. */
    public static ContractValidator load() {
        JsonNode asyncApi = readYaml("contracts/asyncapi.yaml");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix(SCHEMA_BASE, "classpath:contracts/schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        JsonNode messages = asyncApi.path("components").path("messages");
        List<Channel> channels = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = asyncApi.path("channels").fields(); it.hasNext(); ) {
            JsonNode channel = it.next().getValue();
            String address = channel.path("address").asText();
            for (JsonNode ref : channel.path("messages")) {
                String messageName = ref.path("$ref").asText().replace("#/components/messages/", "");
                JsonNode message = messages.path(messageName);
                String schemaFile = message.path("payload").path("$ref").asText().replace("schemas/", "");
                JsonSchema schema = factory.getSchema(SchemaLocation.of(SCHEMA_BASE + schemaFile), config);
                List<JsonNode> examples = new ArrayList<>();
                message.path("examples").forEach(e -> examples.add(e.path("payload")));
                channels.add(new Channel(address, addressPattern(address), message.path("name").asText(),
                        message.path("contentType").asText("application/json"), schema, examples));
            }
        }
        return new ContractValidator(List.copyOf(channels));
    }

    /** The declared channel addresses, e.g. {@code referral.hospital.{hospitalId}.v1}. */
    public List<String> addresses() {
        return channels.stream().map(Channel::address).toList();
    }

    /** The CloudEvents type every message on this topic must carry. */
    public String eventType(String topic) {
        return channel(topic).eventType();
    }

    /** The examples the AsyncAPI document gives for a channel address. */
    public List<JsonNode> examples(String address) {
        return channels.stream().filter(c -> c.address().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel " + address)).examples();
    }

    /** Violations of the data alone (empty when it conforms). */
    public List<String> validateData(String topic, JsonNode data) {
        List<String> violations = new ArrayList<>();
        for (ValidationMessage m : channel(topic).schema().validate(data)) {
            violations.add(m.getMessage());
        }
        return violations;
    }

    /**
     * Violations of a whole Kafka record: its {@code ce_*} headers (binary mode) and its JSON value.
     * Header names are the Kafka header keys; values their UTF-8 strings.
     */
    public List<String> validateRecord(String topic, Map<String, String> headers, String value) {
        Channel channel = channel(topic);
        List<String> violations = new ArrayList<>();
        requireHeader(headers, "ce_specversion", "1.0", violations);
        requireHeader(headers, "ce_type", channel.eventType(), violations);
        if (!headers.containsKey("ce_source") || headers.get("ce_source").isBlank()) {
            violations.add("ce_source is missing");
        }
        String id = headers.get("ce_id");
        try {
            UUID.fromString(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            violations.add("ce_id must be a UUID but was " + id);
        }
        String traceparent = headers.get("ce_traceparent");
        if (traceparent != null && !TRACEPARENT.matcher(traceparent).matches()) {
            violations.add("ce_traceparent must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>) but was " + traceparent);
        }
        String contentType = headers.getOrDefault("content-type", headers.get("ce_datacontenttype"));
        if (contentType == null || !contentType.startsWith(channel.contentType())) {
            violations.add("content type must be " + channel.contentType() + " but was " + contentType);
        }
        try {
            violations.addAll(validateData(topic, JSON.readTree(value)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            violations.add("value is not JSON: " + e.getOriginalMessage());
        }
        return violations;
    }

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    /** Throws an {@link AssertionError} listing every violation; for producers' tests. */
    public void assertConforms(String topic, Map<String, String> headers, String value) {
        List<String> violations = validateRecord(topic, headers, value);
        if (!violations.isEmpty()) {
            throw new AssertionError("event on " + topic + " breaks its contract: " + violations);
        }
    }

    private Channel channel(String topic) {
        return channels.stream().filter(c -> c.pattern().matcher(topic).matches()).findFirst()
                .orElseThrow(() -> new AssertionError("topic " + topic + " is not declared in contracts/asyncapi.yaml"));
    }

    private static void requireHeader(Map<String, String> headers, String name, String expected, List<String> out) {
        String actual = headers.get(name);
        if (!expected.equals(actual)) {
            out.add(name + " must be " + expected + " but was " + actual);
        }
    }

    private static Pattern addressPattern(String address) {
        StringBuilder regex = new StringBuilder();
        for (String part : address.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[A-Za-z0-9_-]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static JsonNode readYaml(String resource) {
        try (InputStream in = ContractValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Channel(String address, Pattern pattern, String eventType, String contentType,
                           JsonSchema schema, List<JsonNode> examples) {
    }
}
