package cn.xinqiao.referral.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.utils.XVerExtensionManager;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FHIR R4 serialisation and validation (the HL7 instance validator against the core R4 profiles): a message that
 * does not validate is never sent, and what is validated is the exact JSON that goes to the hospital.
 *
 * <p>Validators are pooled and reused. HAPI's {@code FhirValidator} builds a new {@code InstanceValidator} for
 * every call, and that constructor re-reads the OID registry (a CSV of thousands of lines) each time: 40 % of
 * referral-service's CPU under the screening benchmark (JFR, 2026-11-23). An {@code InstanceValidator} clears
 * its per-resource state at the start of each validation, but it is not thread-safe (one thread at a time uses
 * it) and something inside it still keeps about 0.35 MB per message it validated, so each one is retired after
 * {@value #USES_PER_VALIDATOR} validations: the pool holds at most about 3.5 MB per thread, and the registry is
 * read once per {@value #USES_PER_VALIDATOR} messages. Each is configured exactly as HAPI's
 * {@code FhirInstanceValidator} configures its own (same worker context, same settings);
 * {@code FhirReferralMessageTest} checks that both give the same findings on good and broken messages.
 */
@ApplicationScoped
public class FhirMessages {

    private static final Logger LOG = Logger.getLogger(FhirMessages.class);

    /** Validations one pooled validator does before it is retired (see the class comment). */
    static final int USES_PER_VALIDATOR = 10;

    private final FhirContext context = FhirContext.forR4Cached();
    private final ConcurrentLinkedQueue<Pooled> idle = new ConcurrentLinkedQueue<>();
    private volatile FhirInstanceValidator module;

    void warm(@Observes StartupEvent ignored) {
        Thread warmUp = new Thread(() -> {
            long start = System.nanoTime();
            errors(new Bundle().setType(Bundle.BundleType.MESSAGE));
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

    /** The errors (and fatals) the R4 validator finds in this bundle's JSON; empty means valid. */
    public List<String> errors(Bundle bundle) {
        return errors(json(bundle));
    }

    /** The errors (and fatals) the R4 validator finds in this JSON resource; empty means valid. */
    public List<String> errors(String json) {
        Pooled pooled = idle.poll();
        if (pooled == null) {
            pooled = new Pooled(newValidator());
        }
        List<ValidationMessage> messages = new ArrayList<>();
        try {
            pooled.validator().validate(null, messages, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    Manager.FhirFormat.JSON, List.of());
        } finally {
            if (pooled.uses().incrementAndGet() < USES_PER_VALIDATOR) {
                idle.offer(pooled);
            }
        }
        return messages.stream()
                .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.ERROR || m.getLevel() == ValidationMessage.IssueSeverity.FATAL)
                .map(m -> m.getLocation() + ": " + m.getMessage()).toList();
    }

    private record Pooled(InstanceValidator validator, AtomicInteger uses) {
        Pooled(InstanceValidator validator) {
            this(validator, new AtomicInteger());
        }
    }

    /** The validator HAPI's {@code ValidatorWrapper} would build for {@link #module()}, built once per pool slot. */
    private InstanceValidator newValidator() {
        FhirInstanceValidator settings = module();
        var worker = settings.getWorkerContext();
        InstanceValidator v = new InstanceValidator(worker, new FhirInstanceValidator.NullEvaluationContext(),
                new XVerExtensionManager(worker), new ValidatorSession(), new ValidatorSettings());
        v.setAssumeValidRestReferences(settings.isAssumeValidRestReferences());
        v.setBestPracticeWarningLevel(settings.getBestPracticeWarningLevel());
        v.setAnyExtensionsAllowed(settings.isAnyExtensionsAllowed());
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setNoTerminologyChecks(settings.isNoTerminologyChecks());
        v.setErrorForUnknownProfiles(settings.isErrorForUnknownProfiles());
        v.setUnknownCodeSystemsCauseErrors(true);
        v.getExtensionDomains().addAll(settings.getExtensionDomains());
        v.setFetcher(settings.getValidatorResourceFetcher());
        v.setPolicyAdvisor(settings.getValidatorPolicyAdvisor());
        v.setNoExtensibleWarnings(settings.isNoExtensibleWarnings());
        v.setNoBindingMsgSuppressed(settings.isNoBindingMsgSuppressed());
        v.setAllowExamples(settings.isAllowExamples());
        v.setAllowXsiLocation(true);
        return v;
    }

    /** HAPI's validator module over the core R4 definitions: its settings and its (shared, thread-safe) worker context. */
    FhirInstanceValidator module() {
        FhirInstanceValidator m = module;
        if (m == null) {
            synchronized (this) {
                m = module;
                if (m == null) {
                    ValidationSupportChain support = new ValidationSupportChain(
                            new DefaultProfileValidationSupport(context),
                            new InMemoryTerminologyServerValidationSupport(context),
                            new CommonCodeSystemsTerminologyService(context));
                    m = new FhirInstanceValidator(support);
                    m.setAnyExtensionsAllowed(true);
                    m.setWrappedWorkerContext(support, WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support));
                    module = m;
                }
            }
        }
        return m;
    }
}
