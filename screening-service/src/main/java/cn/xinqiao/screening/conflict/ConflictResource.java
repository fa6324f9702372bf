package cn.xinqiao.screening.conflict;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.campaign.CampaignService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.UUID;

/** Online and paper answers for the same student and instrument, for the counsellor to decide which counts (see SubmissionQueryResource#resolve). */
@Path("/api/campaigns/{id}/conflicts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class ConflictResource {

    @Inject
    ConflictReview review;

    @Inject
    CampaignService campaigns;

    @Inject
    Caller caller;

    @GET
    @Transactional
    @Operation(summary = "Open online/paper conflicts of your school in this campaign, both sides side by side (audited)")
    public List<ConflictReview.Conflict> conflicts(@PathParam("id") UUID campaignId, @QueryParam("schoolId") String schoolId) {
        String school = schoolId != null ? schoolId : caller.schoolId()
                .orElseThrow(() -> Problem.badRequest("school-required", "schoolId is required"));
        var campaign = campaigns.visible(campaignId);
        if (!caller.actsForSchool(school) || !campaigns.schoolsOf(campaign.id).contains(school)) {
            throw Problem.notFound("campaign school");
        }
        return review.conflicts(campaign.id, school);
    }
}
