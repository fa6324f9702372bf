package cn.xinqiao.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The contract topics of ARCHITECTURE §2 with their partitions (keys: see contracts/asyncapi.yaml). */
public final class Topics {

    public static final List<NewTopic> CONTRACT = List.of(
            new NewTopic("screening.results.v1", 6, (short) 1),
            new NewTopic("screening.casework.v1", 3, (short) 1),
            new NewTopic("referral.requests.v1", 6, (short) 1),
            new NewTopic("referral.status.v1", 6, (short) 1),
            new NewTopic("hotline.calls.v1", 3, (short) 1),
            new NewTopic("hotline.callbacks.v1", 3, (short) 1),
            new NewTopic("hotline.coverage.v1", 1, (short) 1),
            new NewTopic("screening.security.v1", 1, (short) 1),
            new NewTopic("screening.erasures.v1", 3, (short) 1),
            new NewTopic("hotline.shifts.v1", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")),
            new NewTopic("directory.schools.v1", 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")),
            new NewTopic("directory.campaigns.v1", 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")),
            new NewTopic("directory.hospitals.v1", 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")));

    private Topics() {
    }

    public static String hospitalTopic(String hospitalId) {
        return "referral.hospital." + hospitalId + ".v1";
    }

    public static String repliesTopic(String hospitalId) {
        return "referral.hospital." + hospitalId + ".replies.v1";
    }

    /** Creates the contract topics and two per hospital (its referrals, its replies); existing topics are left as they are. */
    public static void ensure(String bootstrapServers, List<String> hospitalIds) throws Exception {
        List<NewTopic> wanted = new ArrayList<>(CONTRACT);
        for (String hospital : hospitalIds) {
            wanted.add(new NewTopic(hospitalTopic(hospital), 3, (short) 1));
            wanted.add(new NewTopic(repliesTopic(hospital), 3, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
