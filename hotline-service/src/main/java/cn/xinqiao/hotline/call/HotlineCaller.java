package cn.xinqiao.hotline.call;

import cn.xinqiao.hotline.call.CallQueries;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The hotline a staff member works for is their token's area ({@code district_code}); supervisors see it all. */
@RequestScoped
public class HotlineCaller {

    @Inject
    Caller caller;

    public CallQueries.Viewer viewer() {
        String hotline = caller.districtCode().orElseThrow(() -> Problem.forbidden("your account is not linked to a hotline"));
        return new CallQueries.Viewer(hotline, caller.subject(), caller.hasRole(Role.HOTLINE_SUPERVISOR));
    }

    public String subject() {
        return caller.subject();
    }
}
