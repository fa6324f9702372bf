package cn.xinqiao.platform.testapp;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Endpoints that exercise problem details and tenancy the way services use them. */
@Path("/test/notes")
public class NoteResource {

    public record NewNote(@NotBlank @Size(max = 100) String text, @NotNull @Size(min = 1) List<Integer> scores) {
    }

    @Inject
    NoteService notes;

    @Inject
    Caller caller;

    @POST
    @RolesAllowed(Role.SCHOOL_COUNSELOR)
    public Map<String, UUID> create(@Valid @NotNull NewNote note) {
        return Map.of("id", notes.write(note.text()));
    }

    @GET
    @Path("/schools/{schoolId}")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    public Map<String, String> school(@PathParam("schoolId") String schoolId) {
        caller.requireSchool(schoolId);
        return Map.of("schoolId", schoolId, "caller", caller.subject());
    }

    @GET
    @Path("/conflict")
    @RolesAllowed(Role.SCHOOL_COUNSELOR)
    public void conflict() {
        throw Problem.conflict("already-closed", "the record is closed");
    }

    /** Nobody said who may call this: refused for everyone. */
    @GET
    @Path("/forgotten")
    public Map<String, String> forgotten() {
        return Map.of("secret", "anyone could read this");
    }

    @GET
    @Path("/boom")
    @RolesAllowed(Role.SCHOOL_COUNSELOR)
    public void boom() {
        throw new IllegalStateException("secret detail: 张三 13800000000");
    }
}
