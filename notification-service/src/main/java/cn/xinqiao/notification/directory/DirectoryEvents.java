package cn.xinqiao.notification.directory;

import cn.xinqiao.platform.inbox.EventInbox;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.OffsetDateTime;
import java.util.concurrent.CompletionStage;

/** directory.schools.v1 and directory.hospitals.v1 → the names a notification uses. */
@ApplicationScoped
public class DirectoryEvents {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record School(@NotNull @Pattern(regexp = "S\\d{9}") String schoolId, @NotBlank @Size(max = 100) String name,
                         @NotNull @Pattern(regexp = "\\d{6}") String districtCode, @NotNull OffsetDateTime updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hospital(@NotNull @Pattern(regexp = "H\\d{9}") String hospitalId, @NotBlank @Size(max = 100) String name,
                           @NotNull @Pattern(regexp = "\\d{6}") String districtCode, @NotNull OffsetDateTime updatedAt) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    OrgNames names;

    @Incoming("schools")
    @Blocking
    public CompletionStage<Void> school(Message<String> message) {
        return inbox.consume(message, School.class, (e, s) -> names.upsert(s.schoolId(), "SCHOOL", s.name(), s.districtCode(), s.updatedAt()));
    }

    @Incoming("hospitals")
    @Blocking
    public CompletionStage<Void> hospital(Message<String> message) {
        return inbox.consume(message, Hospital.class, (e, h) -> names.upsert(h.hospitalId(), "HOSPITAL", h.name(), h.districtCode(), h.updatedAt()));
    }
}
