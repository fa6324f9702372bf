package cn.xinqiao.notification.delivery;

import cn.xinqiao.notification.domain.Severity;
import cn.xinqiao.notification.preferences.ContactPreferences.ChannelId;

import java.util.Optional;
import java.util.UUID;

/**
 * An outside way to reach a person: e-mail, a WeCom group robot, SMS. The in-app notification is the stored row
 * itself and reaches the person's open pages through the stream; these carry the same short text and deep link.
 */
public interface Channel {

    ChannelId id();

    /** Why this channel cannot reach the person at all (no address, channel not configured), or empty if it can. */
    Optional<String> unreachable(Recipient recipient);

    /** One attempt. Never throws: a failure is an {@link Outcome}. */
    Outcome send(Recipient recipient, Outgoing message);

    /** Where to reach the person, from their preferences and the organisation's rota. */
    record Recipient(String username, String email, String mobile, String wecomRobotKey) {
    }

    /** What is said: the alert's text (no student), its urgency, the organisation's name, and the acknowledging link. */
    record Outgoing(UUID notificationId, Severity severity, String orgName, String title, String link) {
    }

    /** The result of one attempt: sent (with the provider's reference), worth retrying, or failed for good on this channel. */
    sealed interface Outcome {
        String code();

        record Sent(String code) implements Outcome {
        }

        record Retry(String code) implements Outcome {
        }

        record Failed(String code) implements Outcome {
        }
    }
}
