package cn.xinqiao.referral.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The hospital's return summary on completing a referral. {@code recommendations} is free text for the school (never
 * on a topic); the rest is coded and travels on {@code referral.status.v1} so the school side dates the follow-ups.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReturnSummary(String recommendations, List<String> accommodations, Boolean medication, OffsetDateTime nextAppointment,
                            List<FollowUp> followUpPlan) {


    /** A follow-up (回访) some days after the return, by the school or the hospital. */
    public record FollowUp(int afterDays, String by) {
    }

    /** The coded part, for the status event: no free text. */
    public ReturnSummary coded() {
        return new ReturnSummary(null, accommodations, medication, nextAppointment, followUpPlan);
    }
}
