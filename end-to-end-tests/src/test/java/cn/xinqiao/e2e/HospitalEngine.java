package cn.xinqiao.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;

/**
 * What a hospital's integration engine does with a message from its topic: the message's Patient carries the
 * identity sealed under the student's key, and the engine opens it with its clinician's (or service account's)
 * token at referral-service (audited; refused for another hospital's message, gone once the student is erased).
 */
final class HospitalEngine {

    static final String SEALED = "https://xinqiao.cn/fhir/StructureDefinition/sealed-identity";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPENED = new ConcurrentHashMap<>();

    private HospitalEngine() {
    }

    /** The opened Patient's JSON, or "" when the seal does not open for this token (not its hospital's, or erased). */
    static String patientOf(ConsumerRecord<String, String> message, String clinicianToken) {
        return OPENED.computeIfAbsent(message.topic() + "/" + message.partition() + "/" + message.offset() + "/" + clinicianToken.hashCode(),
                k -> open(message.value(), clinicianToken));
    }

    /** Opens a message's seal now (no memory of earlier answers). */
    static Response openNow(String fhirMessage, String clinicianToken) {
        Map<String, String> seal = seal(fhirMessage);
        String referral;
        try {
            referral = Stack.url("referral-service");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return given().auth().oauth2(clinicianToken).contentType("application/json").body(seal).post(referral + "/api/identity-seals/open");
    }

    static Map<String, String> seal(String fhirMessage) {
        try {
            JsonNode patient = JSON.readTree(fhirMessage).path("entry").get(1).path("resource").path("contained").get(0);
            for (JsonNode ext : patient.path("extension")) {
                if (SEALED.equals(ext.path("url").asText())) {
                    String keyId = null;
                    String ciphertext = null;
                    for (JsonNode part : ext.path("extension")) {
                        if (part.path("url").asText().equals("keyId")) {
                            keyId = part.path("valueString").asText();
                        } else if (part.path("url").asText().equals("ciphertext")) {
                            ciphertext = part.path("valueBase64Binary").asText();
                        }
                    }
                    return Map.of("keyId", keyId, "ciphertext", ciphertext);
                }
            }
        } catch (Exception e) {
            throw new AssertionError("not a hospital message: " + e.getMessage());
        }
        throw new AssertionError("the message's Patient has no sealed identity");
    }

    private static String open(String fhirMessage, String clinicianToken) {
        Response r = openNow(fhirMessage, clinicianToken);
        return r.statusCode() == 200 ? r.asString() : "";
    }
}
