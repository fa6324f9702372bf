package cn.xinqiao.screening.consent;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.ClientNetworks;
import cn.xinqiao.screening.domain.ConsentRule.Decision;
import cn.xinqiao.screening.session.LoginGuard;
import cn.xinqiao.screening.session.StudentSessionConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.time.Duration;
import java.util.List;

/**
 * The guardian's side: the link's code opens the notice and the decision. No account: the code is the key, so a
 * wrong code spends the network's failure budget exactly like a wrong student login ({@link LoginGuard}). The code
 * travels in the body, never in a URL (the link puts it in the page's fragment, which no server or log sees).
 */
@Path("/api/guardian-consents")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GuardianConsentResource {

    @Inject
    ConsentService consents;

    @Inject
    LoginGuard guard;

    private final ClientNetworks networks;

    @Inject
    public GuardianConsentResource(StudentSessionConfig config) {
        this.networks = new ClientNetworks(config.login().trustedHops());
    }

    public record LinkInput(@NotBlank @Size(max = 20) String code) {
    }

    public record DecisionInput(@NotBlank @Size(max = 20) String code, @NotNull @Pattern(regexp = "GRANTED|DECLINED|WITHDRAWN") String decision,
                                @NotNull Integer noticeVersion) {
    }

    public record Answer(String decision, String standing) {
    }

    @POST
    @Path("/lookup")
    @Operation(summary = "What the guardian's link opens: the notice, the school, the child's masked name, the current decision")
    public ConsentService.GuardianView view(@Valid @NotNull LinkInput in, @Context HttpServerRequest request) {
        return consents.guardianView(link(in.code(), request));
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "The guardian grants, declines or withdraws consent for this school year (a withdrawal stops the screening)")
    public Answer decide(@Valid @NotNull DecisionInput in, @Context HttpServerRequest request) {
        Object[] link = link(in.code(), request);
        ConsentService.Recorded r = consents.decideOnline(link, Decision.valueOf(in.decision()), in.noticeVersion());
        return new Answer(r.decision(), r.standing().name());
    }

    private Object[] link(String code, HttpServerRequest request) {
        String peer = request.connection() == null || request.connection().remoteAddress() == null ? null
                : request.connection().remoteAddress().hostAddress();
        String network = ClientNetworks.network(networks.client(peer, request.headers().getAll("X-Forwarded-For")));
        Duration wait = guard.retryAfter(network);
        if (!wait.isZero()) {
            throw Problem.tooManyRequests("too many wrong codes from this network; try again in " + Math.max(1, wait.toMinutes())
                    + " min / 尝试次数过多，请稍后再试");
        }
        Object[] link = consents.byCode(code);
        if (link == null) {
            guard.failed(network, null).await().atMost(Duration.ofSeconds(5));
            throw new Problem(404, "unknown-guardian-link", "Unknown link",
                    "this link is not valid; check it against the school's notice / 链接无效，请核对学校发送的链接", List.of());
        }
        return link;
    }
}
