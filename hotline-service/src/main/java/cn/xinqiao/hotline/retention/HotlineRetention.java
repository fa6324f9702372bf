package cn.xinqiao.hotline.retention;

import cn.xinqiao.platform.retention.RetentionRule;
import cn.xinqiao.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Period;
import java.util.List;

/** hotline-service's retention schedule (docs/privacy.md): call records and their escalations, handover notes. */
@ApplicationScoped
public class HotlineRetention implements RetentionRules {

    private static final String ENDED = "select id from call_record where status = 'CLOSED' and ended_at < ? limit ?";

    @Override
    public List<RetentionRule> rules() {
        return List.of(
                new RetentionRule("calls", "closed call records: caller key, school and number, notes, callbacks, emergency escalations",
                        "a repeat caller is met with their history; supervision reviews calls; the bureau's figures come from the topic",
                        Period.ofYears(3),
                        "select count(*) from call_record where status = 'CLOSED' and ended_at < ?",
                        List.of("delete from emergency_escalation where call_id in (" + ENDED + ")",
                                "delete from call_record where id in (" + ENDED + ")")),
                new RetentionRule("handover-notes", "shift handover notes", "the next shifts read them; a year covers any review",
                        Period.ofYears(1),
                        "select count(*) from handover_note where created_at < ?",
                        List.of("delete from handover_note where id in (select id from handover_note where created_at < ? limit ?)")));
    }
}
