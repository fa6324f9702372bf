package cn.xinqiao.referral.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import cn.xinqiao.referral.dispatch.StudentIdentity;
import cn.xinqiao.referral.domain.Risk;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.utils.XVerExtensionManager;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FHIR R4 serialisation and validation (the HL7 instance validator against the core R4 profiles): a message that
 * does not validate is never sent, and what is validated is the exact JSON that goes to the hospital.
 *
 * <p>Validators are pooled and reused. HAPI's {@code FhirValidator} builds a new {@code InstanceValidator} for
 * every call, and that constructor re-reads the OID registry (a CSV of thousands of lines) each time: 40 % of
 * referral-service's CPU under the screening benchmark. An {@code InstanceValidator} clears
 * its per-resource state at the start of each validation, but it is not thread-safe (one thread at a time uses
 * it), and its {@code CodingsObserver} (HAPI 6.5) appends every coding it sees, with the element tree the
 * coding sits in, to a list that nothing reads unless IPS SNOMED checks are on and nothing ever clears: 0.35 MB
 * kept per message. That garbage outlived the young generation and filled the old one (a full collection of
 * the 300 MB of definitions every few minutes under load). So after each validation the list is emptied here
 * (0.1 KB kept per message, measured); if a HAPI upgrade moves the field, the pool falls back to retiring each
 * validator after {@value #USES_IF_UNCLEARED} messages and says so once. Each validator is configured exactly
 * as HAPI's {@code FhirInstanceValidator} configures its own (same worker context, same settings);
 * {@code FhirReferralMessageTest} checks that both give the same findings on good and broken messages.
 */
@ApplicationScoped
public class FhirMessages {

    private static final Logger LOG = Logger.getLogger(FhirMessages.class);

    /** Validations one pooled validator does before it is retired, when its observed codings are cleared. */
    static final int USES_PER_VALIDATOR = 5_000;

    /** The same, when they cannot be cleared (see the class comment). */
    static final int USES_IF_UNCLEARED = 10;

    private static final Field CODING_OBSERVER = field(InstanceValidator.class, "codingObserver");
    private static final Field OBSERVED_CODINGS = field(CodingsObserver.class, "list");

    private final FhirContext context = FhirContext.forR4Cached();
    private final ConcurrentLinkedQueue<Pooled> idle = new ConcurrentLinkedQueue<>();
    private volatile FhirInstanceValidator module;
    private final AtomicInteger validatorsBuilt = new AtomicInteger();

    /**
     * Validates a representative referral message (a fictional student, never sent) in the background after start,
     * until it is warm: the mean CPU time of the last {@value #WINDOW} validations under {@code warm-up.until-ms}, or
     * {@code warm-up.messages} of them. The instance validator is a large body of code that a hospital message runs
     * through once, and a few hundred critical students a day leave it half compiled: in a fresh JVM on the 2-core
     * machine the first validation took 4.7 s (definitions loaded), the next ones 40 ms, the hundredth 12 ms, the
     * five-hundredth 5.6 ms (3.6 ms fully compiled). Warmed here, the first critical student after a deploy gets
     * the compiled validator (the city wave's critical → FHIR p99 0.80 → 0.51 s). A JVM started from an AOT cache
     * (deploy/local) compiles from the recorded profiles and is warm after fewer messages, so it stops sooner. The
     * warm-up takes a pooled validator for one message at a time, so a real message is never kept waiting by it.
     */
    void warm(@Observes StartupEvent ignored, @ConfigProperty(name = "xinqiao.fhir.warm-up.messages", defaultValue = "500") int messages,
              @ConfigProperty(name = "xinqiao.fhir.warm-up.until-ms", defaultValue = "8") double untilMs) {
        Thread warmUp = new Thread(() -> warmUp(messages, untilMs), "fhir-validator-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private static final int WINDOW = 25;

    /** Validates the representative message {@code messages} times; returns the last tenth's mean ms per message. */
    double warmUp(int messages) {
        return warmUp(messages, 0);
    }

    /**
     * Validates the representative message until the mean CPU time of the last {@value #WINDOW} is under {@code untilMs}
     * (never, for 0), at most {@code messages} times; returns the mean ms of CPU per message of the last {@value #WINDOW}
     * (or of all).
     */
    double warmUp(int messages, double untilMs) {
        long start = System.nanoTime();
        Bundle sample = FhirReferralMessage.build(sample());
        String json = json(sample);
        double first = 0;
        long[] window = new long[WINDOW];
        long windowSum = 0;
        int done = 0;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        while (done < messages) {
            // this thread's own CPU, not the wall clock: a service starting beside five others and the demo load waits
            // for a core, which says nothing about whether the validator is compiled yet
            long t = cpu.getCurrentThreadCpuTime();
            List<String> errors = errors(json);
            if (!errors.isEmpty()) {
                LOG.errorf("FHIR warm-up: the sample referral message does not validate: %s", errors);
                return Double.NaN;
            }
            long took = cpu.getCurrentThreadCpuTime() - t;
            if (done == 0) {
                first = took / 1e6;
            }
            windowSum += took - window[done % WINDOW];
            window[done % WINDOW] = took;
            done++;
            if (done >= WINDOW && windowSum / 1e6 / WINDOW < untilMs) {
                break;
            }
        }
        double last = windowSum / 1e6 / Math.min(done, WINDOW);
        LOG.infof("FHIR R4 validator warmed with %d sample messages in %d ms: first %.0f ms of CPU, last %d %.1f ms of CPU each",
                done, (System.nanoTime() - start) / 1_000_000, first, Math.min(done, WINDOW), last);
        return last;
    }

    /** A referral message for a fictional student, shaped like a real one (identity, two reasons, clocks). */
    static FhirReferralMessage.Content sample() {
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
        StudentIdentity student = new StudentIdentity("warm-up-" + "0".repeat(35), "S000000000", "示例学校 (warm-up)", "00000000",
                "示例学生", "FEMALE", java.time.LocalDate.of(2010, 1, 1).toString(), 9, "1班", "示例家长", "10000000000");
        return new FhirReferralMessage.Content(UUID.randomUUID(), FhirReferralMessage.Kind.NEW, UUID.randomUUID(), "H000000000",
                "示例医院 (warm-up)", "S000000000", Risk.CRITICAL, List.of(
                new FhirReferralMessage.Reason("PHQ-A:item9", "PHQ-A", 15, "moderately-severe", true),
                new FhirReferralMessage.Reason("GAD-7:severe", "GAD-7", 16, "severe", false)),
                "requested", "routed", t, t.plusHours(1), t.plusHours(72), student, t);
    }

    public String json(Bundle bundle) {
        return context.newJsonParser().encodeResourceToString(bundle);
    }

    /** Any one resource as JSON (a Patient to seal). */
    public String json(org.hl7.fhir.r4.model.Resource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }

    public Bundle parse(String json) {
        return context.newJsonParser().parseResource(Bundle.class, json);
    }

    /** A hospital's Task (its reply); call only on JSON that {@link #errors(String)} found valid. */
    public Task parseTask(String json) {
        return context.newJsonParser().parseResource(Task.class, json);
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
            boolean cleared = forgetObservedCodings(pooled.validator());
            if (pooled.uses().incrementAndGet() < (cleared ? USES_PER_VALIDATOR : USES_IF_UNCLEARED)) {
                idle.offer(pooled);
            }
        }
        return messages.stream()
                .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.ERROR || m.getLevel() == ValidationMessage.IssueSeverity.FATAL)
                .map(m -> m.getLocation() + ": " + m.getMessage()).toList();
    }

    /** Empties the validator's list of observed codings; false if this HAPI version keeps it elsewhere. */
    private static boolean forgetObservedCodings(InstanceValidator validator) {
        if (CODING_OBSERVER == null || OBSERVED_CODINGS == null) {
            return false;
        }
        try {
            Object observer = CODING_OBSERVER.get(validator);
            if (observer != null && OBSERVED_CODINGS.get(observer) instanceof List<?> list) {
                list.clear();
            }
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    /** Codings the idle pooled validators still hold (0 when each validation's are forgotten). */
    int observedCodingsHeld() {
        int held = 0;
        for (Pooled pooled : idle) {
            try {
                held += ((List<?>) OBSERVED_CODINGS.get(CODING_OBSERVER.get(pooled.validator()))).size();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return held;
    }

    /** Validators built since start (each one reads the OID registry). */
    int validatorsBuilt() {
        return validatorsBuilt.get();
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.warnf("FHIR validator: %s.%s not found; pooled validators are retired after %d messages instead",
                    owner.getSimpleName(), name, USES_IF_UNCLEARED);
            return null;
        }
    }

    private record Pooled(InstanceValidator validator, AtomicInteger uses) {
        Pooled(InstanceValidator validator) {
            this(validator, new AtomicInteger());
        }
    }

    /** The validator HAPI's {@code ValidatorWrapper} would build for {@link #module()}, built once per pool slot. */
    private InstanceValidator newValidator() {
        FhirInstanceValidator settings = module();
        validatorsBuilt.incrementAndGet();
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
