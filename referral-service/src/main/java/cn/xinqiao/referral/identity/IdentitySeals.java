package cn.xinqiao.referral.identity;

import cn.xinqiao.referral.fhir.FhirMessages;
import cn.xinqiao.referral.fhir.FhirReferralMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Seals the student's identity in a hospital message: the contained {@code Patient} the hospital reads keeps only
 * the pseudonymous student key and the sex; the full {@code Patient} (name, student number, birth date, guardian)
 * travels as AES-GCM ciphertext under the student's own key, in the extension {@link #EXTENSION}
 * ({@code keyId}, {@code ciphertext}). The hospital's engine opens it with {@code POST /api/identity-seals/open};
 * once the student is erased the key is gone and every copy of the message is unreadable.
 */
@ApplicationScoped
public class IdentitySeals {

    public static final String EXTENSION = FhirReferralMessage.BASE + "StructureDefinition/sealed-identity";

    @Inject
    SubjectKeys keys;

    @Inject
    FhirMessages fhir;

    @Transactional(Transactional.TxType.MANDATORY)
    public void seal(Bundle bundle, String studentKey) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof ServiceRequest request) {
                List<Resource> contained = request.getContained();
                for (int i = 0; i < contained.size(); i++) {
                    if (contained.get(i) instanceof Patient full) {
                        contained.set(i, sealed(full, studentKey));
                    }
                }
            }
        }
    }

    private Patient sealed(Patient full, String studentKey) {
        SubjectKeys.Key key = keys.keyFor(studentKey);
        byte[] ciphertext = new SealCipher(key.secret()).seal(fhir.json(full).getBytes(StandardCharsets.UTF_8), context(key.keyId()));
        Patient visible = new Patient();
        visible.setId(full.getIdElement().getIdPart());
        for (Identifier id : full.getIdentifier()) {
            if (FhirReferralMessage.NS_STUDENT_KEY.equals(id.getSystem())) {
                visible.addIdentifier(id.copy());
            }
        }
        visible.setGender(full.getGender());
        Extension seal = visible.addExtension().setUrl(EXTENSION);
        seal.addExtension("keyId", new StringType(key.keyId().toString()));
        seal.addExtension("ciphertext", new Base64BinaryType(ciphertext));
        return visible;
    }

    /** The sealed Patient's JSON, or null when its key no longer exists (erased) or the ciphertext is not its. */
    public Opened open(UUID keyId, byte[] ciphertext) {
        return keys.find(keyId).map(k -> {
            try {
                return new Opened(k.studentKey(), new String(new SealCipher(k.secret()).open(ciphertext, context(keyId)), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).orElse(null);
    }

    public record Opened(String studentKey, String patientJson) {
    }

    private static byte[] context(UUID keyId) {
        return ("xinqiao-sealed-identity:" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
