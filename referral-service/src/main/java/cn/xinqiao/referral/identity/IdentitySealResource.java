package cn.xinqiao.referral.identity;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** The hospital's engine opens the sealed identity of a message addressed to it (audited, like every identity read). */
@Path("/api/identity-seals/open")
public class IdentitySealResource {

    @Inject
    IdentitySeals seals;

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    public record Sealed(@NotNull @Pattern(regexp = "[0-9a-f-]{36}") String keyId,
                         @NotBlank @Size(max = 20000) @Pattern(regexp = "[A-Za-z0-9+/=]+") String ciphertext) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"application/fhir+json", "application/problem+json"})
    @RolesAllowed(Role.CLINICIAN)
    @Transactional
    @Operation(summary = "Open the sealed Patient of a hospital message addressed to the caller's hospital (410 once the student is erased)")
    public Response open(@Valid @NotNull Sealed in) {
        String hospital = caller.hospitalId().orElseThrow(() -> Problem.forbidden("no hospital in your token"));
        IdentitySeals.Opened opened = seals.open(UUID.fromString(in.keyId()), Base64.getDecoder().decode(in.ciphertext()));
        if (opened == null) {
            throw new Problem(410, "identity-erased", "Identity not available",
                    "this identity no longer exists (the student's data was erased) or the sealed value is not valid", List.of());
        }
        List<?> referral = em.createNativeQuery("""
                        select id, school_id from referral where student_key = ?1
                        and (hospital_id = ?2 or ?2 = any(hospitals_tried)) order by first_requested_at desc limit 1""")
                .setParameter(1, opened.studentKey()).setParameter(2, hospital).getResultList();
        if (referral.isEmpty()) {
            throw Problem.notFound("referral"); // not addressed to this hospital: the same answer as an unknown one
        }
        Object[] row = (Object[]) referral.get(0);
        audit.record(AuditTrail.Action.READ, "referral-identity", row[0].toString(), (String) row[1], "hospital opened the sealed identity");
        return Response.ok(opened.patientJson(), "application/fhir+json").header("Cache-Control", "no-store").build();
    }
}
