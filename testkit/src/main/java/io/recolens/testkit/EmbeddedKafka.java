package io.recolens.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process single-node KRaft Kafka broker (combined broker and controller) for tests and the
 * local demo; starts in a few seconds and deletes its data on {@link #close()}.
 *
 * <p>Binding (checked with {@code ss -ltn}): the listeners are configured on 127.0.0.1, so the
 * broker advertises and {@link #bootstrapServers()} names 127.0.0.1, but Kafka's test kit pre-binds
 * both the broker and the controller sockets itself ({@code PreboundSocketFactoryManager}, wildcard
 * address, before the config is read) and offers no host setting: while this broker runs, its
 * two ports are reachable from other interfaces too. Run it only on trusted machines; a
 * loopback-only broker would need {@code KafkaRaftServer} formatted and started by hand. The test
 * kit also enables unstable feature versions: fine for tests and the demo, never production.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path baseDir;
    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(Path baseDir, KafkaClusterTestKit cluster, String bootstrapServers) {
        this.baseDir = baseDir;
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker with the defaults. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /** Starts a broker; {@code brokerProperties} override the defaults (e.g. {@code log.retention.ms}). */
    public static EmbeddedKafka start(Map<String, String> brokerProperties) {
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("recolens-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir)
                    .build();
            ListenerName broker = nodes.brokerListenerName();
            ListenerName controller = nodes.controllerListenerName();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    .setDeleteOnClose(true)
                    .setConfigProp("listeners", broker.value() + "://127.0.0.1:0," + controller.value() + "://127.0.0.1:0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false");
            for (Map.Entry<String, String> e : brokerProperties.entrySet()) {
                builder.setConfigProp(e.getKey(), e.getValue());
            }
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            int port = cluster.brokers().values().iterator().next().boundPort(broker);
            return new EmbeddedKafka(baseDir, cluster, "127.0.0.1:" + port);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteRecursively(baseDir);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("the embedded Kafka broker did not start", e);
        }
    }

    /** {@code 127.0.0.1:port} of the broker's client listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Client properties with only the bootstrap servers set, a starting point for producers and consumers. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** Creates the topics (replication factor 1) and waits until they exist; existing ones are left alone. */
    public void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) newTopics.add(new NewTopic(topic, partitions, (short) 1));
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(newTopics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + List.of(topics), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Stops the broker and deletes its data directory. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not stop cleanly", e);
        } finally {
            deleteRecursively(baseDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temp directory must not fail a test run that otherwise passed.
        }
    }
}
