import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * kafka-ensure-topics: creates the named topics that do not exist yet, all in one JVM
 * and one request (kafka-topics takes one topic per JVM start, about a second each).
 * Existing topics are left as they are. Prints "created NAME" for each topic made.
 * Without --partitions / --replication-factor the broker's defaults apply.
 *
 * <pre>kafka-ensure-topics --bootstrap-server HOST:PORT [--partitions N] [--replication-factor R] TOPIC...</pre>
 */
public final class EnsureTopics {
    private static final long TIMEOUT_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        Optional<Integer> partitions = Optional.empty();
        Optional<Short> replication = Optional.empty();
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-server" -> bootstrap = value(args, ++i);
                case "--partitions" -> partitions = Optional.of(Integer.parseInt(value(args, ++i)));
                case "--replication-factor" -> replication = Optional.of(Short.parseShort(value(args, ++i)));
                default -> {
                    if (args[i].startsWith("--")) {
                        usage("unknown option " + args[i]);
                    }
                    wanted.add(args[i]);
                }
            }
        }
        if (bootstrap == null) {
            usage("--bootstrap-server is required");
        }

        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : wanted) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, replication));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            var results = admin.createTopics(missing).values();
            for (var result : results.entrySet()) {
                try {
                    result.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    System.out.println("created " + result.getKey());
                } catch (ExecutionException e) {
                    // Someone else created it in the meantime: that is the wanted state.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("kafka-ensure-topics: " + problem);
        System.err.println("usage: kafka-ensure-topics --bootstrap-server HOST:PORT"
                + " [--partitions N] [--replication-factor R] TOPIC...");
        System.exit(2);
    }
}
