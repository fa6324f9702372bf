package cn.xinqiao.referral.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * FHIR R4 serialisation and validation (HAPI FHIR's instance validator against the core R4 profiles): a message
 * that does not validate is never sent. The validator is built once and warmed at start-up.
 */
@ApplicationScoped
public class FhirMessages {

    private static final Logger LOG = Logger.getLogger(FhirMessages.class);

    private final FhirContext context = FhirContext.forR4Cached();
    private volatile FhirValidator validator;

    void warm(@Observes StartupEvent ignored) {
        Thread warmUp = new Thread(() -> {
            long start = System.nanoTime();
            validator();
            LOG.infof("FHIR R4 validator ready in %d ms", (System.nanoTime() - start) / 1_000_000);
        }, "fhir-validator-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    public String json(Bundle bundle) {
        return context.newJsonParser().encodeResourceToString(bundle);
    }

    public Bundle parse(String json) {
        return context.newJsonParser().parseResource(Bundle.class, json);
    }

    /** The errors (and fatals) the R4 validator finds; empty means valid. */
    public List<String> errors(Bundle bundle) {
        ValidationResult result = validator().validateWithResult(bundle);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(FhirMessages::describe).toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getLocationString() + ": " + m.getMessage();
    }

    private FhirValidator validator() {
        FhirValidator v = validator;
        if (v == null) {
            synchronized (this) {
                v = validator;
                if (v == null) {
                    ValidationSupportChain support = new ValidationSupportChain(
                            new DefaultProfileValidationSupport(context),
                            new InMemoryTerminologyServerValidationSupport(context),
                            new CommonCodeSystemsTerminologyService(context));
                    FhirInstanceValidator module = new FhirInstanceValidator(support);
                    module.setAnyExtensionsAllowed(true);
                    v = context.newValidator().registerValidatorModule(module);
                    v.validateWithResult(new Bundle().setType(Bundle.BundleType.MESSAGE));
                    validator = v;
                }
            }
        }
        return v;
    }
}
