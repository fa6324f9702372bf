package cn.xinqiao.referral.partnership;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.referral.partnership.Hospital;
import cn.xinqiao.referral.partnership.PartnershipService;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PartnershipResource {

    @Inject
    PartnershipService partnerships;

    @Inject
    Caller caller;

    public record HospitalInput(@NotBlank @Size(max = 100) String name,
                                @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                                @Pattern(regexp = "[0-9-]{7,20}") String greenChannelPhone) {
    }

    public record HospitalView(String id, String name, String districtCode, String greenChannelPhone) {
    }

    public record PartnershipInput(@NotNull @Pattern(regexp = "H[0-9]{9}") String hospitalId,
                                   @Pattern(regexp = "H[0-9]{9}") String backupHospitalId) {
    }

    @GET
    @Path("/hospitals")
    @RolesAllowed({Role.PLATFORM_ADMIN, Role.BUREAU_ANALYST, Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN,
            Role.CLINICIAN, Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR})
    @Operation(summary = "The partner hospitals of the green channel")
    public List<HospitalView> hospitals() {
        return Hospital.<Hospital>listAll(Sort.by("id")).stream()
                .map(h -> new HospitalView(h.id, h.name, h.districtCode, h.greenChannelPhone)).toList();
    }

    @PUT
    @Path("/hospitals/{hospitalId}")
    @RolesAllowed(Role.PLATFORM_ADMIN)
    @Operation(summary = "Create or update a partner hospital (platform admin)")
    public HospitalView upsertHospital(@PathParam("hospitalId") @Pattern(regexp = "H[0-9]{9}", message = "must be H + 9 digits") String id,
                                       @Valid @NotNull HospitalInput input) {
        Hospital h = partnerships.upsertHospital(id, input.name(), input.districtCode(), input.greenChannelPhone());
        return new HospitalView(h.id, h.name, h.districtCode, h.greenChannelPhone);
    }

    @GET
    @Path("/partnerships")
    @RolesAllowed({Role.PLATFORM_ADMIN, Role.BUREAU_ANALYST})
    @Operation(summary = "County defaults and school partnerships within the caller's area")
    public List<PartnershipService.PartnershipView> list() {
        return partnerships.all().stream().filter(p -> caller.coversDistrict(
                p.scope().equals("school") ? Districts.countyOfSchool(p.code()) : p.code())).toList();
    }

    @PUT
    @Path("/partnerships/{scope}/{code}")
    @RolesAllowed({Role.PLATFORM_ADMIN, Role.BUREAU_ANALYST})
    @Operation(summary = "Set the partner (and backup) hospital of a county (scope=county) or a school (scope=school)")
    public PartnershipService.PartnershipView set(@PathParam("scope") String scope, @PathParam("code") String code,
                                                  @Valid @NotNull PartnershipInput input) {
        String district = switch (scope) {
            case "county" -> {
                if (!code.matches("[1-8][0-9]{5}")) {
                    throw Problem.badRequest("bad-code", "a county code has 6 digits");
                }
                yield code;
            }
            case "school" -> {
                if (!code.matches("S[0-9]{9}")) {
                    throw Problem.badRequest("bad-code", "a school id is S + 9 digits");
                }
                yield Districts.countyOfSchool(code);
            }
            default -> throw Problem.notFound("partnership scope");
        };
        caller.requireDistrict(district);
        return partnerships.set(scope, code, input.hospitalId(), input.backupHospitalId(), caller.subject());
    }
}
