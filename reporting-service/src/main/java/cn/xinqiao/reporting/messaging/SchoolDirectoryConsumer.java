package cn.xinqiao.reporting.messaging;

import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.reporting.service.EnrolmentService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** directory.schools.v1 → enrolment read model (idempotent through the inbox). */
@ApplicationScoped
public class SchoolDirectoryConsumer {

    @Inject
    EventInbox inbox;

    @Inject
    EnrolmentService enrolment;

    @Incoming("schools")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, SchoolEvent.class, (event, school) -> enrolment.apply(school));
    }
}
