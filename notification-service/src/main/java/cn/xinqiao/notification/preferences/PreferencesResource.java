package cn.xinqiao.notification.preferences;

import cn.xinqiao.notification.domain.QuietHours;
import cn.xinqiao.notification.preferences.ContactPreferences.ChannelId;
import cn.xinqiao.notification.preferences.ContactPreferences.Preference;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;

/** {@code /api/me/contact-preferences}: the signed-in person's own e-mail, mobile, channel order and quiet hours. */
@Path("/api/me/contact-preferences")
@RolesAllowed({"school-admin", "school-counselor", "clinician", "bureau-analyst", "hotline-supervisor", "hotline-operator", "platform-admin",
        "auditor"})
public class PreferencesResource {

    static final String HHMM = "([01]\\d|2[0-3]):[0-5]\\d";

    public record PreferenceIn(@Email @Size(max = 200) String email, @Pattern(regexp = "1[3-9]\\d{9}") String mobile,
                               @NotNull @Size(max = 3) List<@NotNull ChannelId> channels, @Pattern(regexp = HHMM) String quietFrom,
                               @Pattern(regexp = HHMM) String quietTo) {
    }

    public record PreferenceOut(String email, String mobile, List<ChannelId> channels, String quietFrom, String quietTo,
                                OffsetDateTime updatedAt) {
        static PreferenceOut of(Preference p) {
            return new PreferenceOut(p.email(), p.mobile(), p.channels(), p.quiet().from() == null ? null : p.quiet().from().toString(),
                    p.quiet().to() == null ? null : p.quiet().to().toString(), p.updatedAt());
        }
    }

    @Inject
    Caller caller;

    @Inject
    ContactPreferences preferences;

    @GET
    public PreferenceOut get() {
        return PreferenceOut.of(preferences.of(caller.subject()));
    }

    @PUT
    @Transactional
    public PreferenceOut put(@Valid @NotNull PreferenceIn in) {
        List<ProblemDetails.FieldError> errors = new java.util.ArrayList<>();
        if (new HashSet<>(in.channels()).size() != in.channels().size()) {
            errors.add(new ProblemDetails.FieldError("channels", "a channel may be listed once"));
        }
        if (in.channels().contains(ChannelId.EMAIL) && in.email() == null) {
            errors.add(new ProblemDetails.FieldError("email", "e-mail is in the channels but no address is given"));
        }
        if ((in.channels().contains(ChannelId.SMS) || in.channels().contains(ChannelId.WECOM)) && in.mobile() == null) {
            errors.add(new ProblemDetails.FieldError("mobile", "SMS and WeCom need a mobile number"));
        }
        if ((in.quietFrom() == null) != (in.quietTo() == null)) {
            errors.add(new ProblemDetails.FieldError("quietTo", "quiet hours need both a start and an end"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the contact preferences are not valid", errors);
        }
        Preference p = new Preference(caller.subject(), in.email(), in.mobile(), in.channels(), new QuietHours(
                in.quietFrom() == null ? null : LocalTime.parse(in.quietFrom()), in.quietTo() == null ? null : LocalTime.parse(in.quietTo())),
                OffsetDateTime.now(ZoneOffset.UTC));
        preferences.save(p);
        return PreferenceOut.of(p);
    }
}
