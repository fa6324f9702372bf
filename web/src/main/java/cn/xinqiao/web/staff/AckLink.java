package cn.xinqiao.web.staff;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The link in an alert's e-mail, SMS or WeCom message: {@code /staff/ack/{notificationId}}. A path, not a
 * {@code #/…} fragment, so it survives the sign-in redirects (a fragment is not sent to the server and is lost on the
 * way back from Keycloak); once signed in, it opens the page that acknowledges the notification.
 */
@Path("/staff/ack/{id}")
public class AckLink {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @GET
    public Response open(@PathParam("id") String id) {
        if (!UUID.matcher(id).matches()) {
            return StaffBff.problem(404, "not-found", "no such notification");
        }
        return Response.seeOther(URI.create("/staff/#/ack/" + id)).header("Cache-Control", "no-store").build();
    }
}
