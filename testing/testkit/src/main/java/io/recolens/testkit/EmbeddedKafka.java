package io.recolens.testkit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * An in-process single-node KRaft Kafka broker (combined broker and controller) for tests and the
 * local demo; starts in a few seconds and deletes its data on {@link #close()}.
 *
 * <p>Binding: both the client listener ({@code PLAINTEXT}) and the controller listener
 * ({@code CONTROLLER}) listen on 127.0.0.1 only (checked with {@code ss -ltn}); the broker
 * advertises 127.0.0.1 and {@link #bootstrapServers()} names it. The node is a plain
 * {@link KafkaRaftServer}: its storage is formatted in-process with Kafka's {@link Formatter} (what
 * {@code kafka-storage.sh format} does, static quorum, the latest production metadata version),
 * then started. The listener, quorum and role settings are fixed; {@code start(Map)} refuses to
 * override them.
 *
 * <p>Like any real broker, a fatal internal fault makes Kafka halt the JVM. The two ports are
 * picked free on 127.0.0.1 just before start; should another process take one in between, the
 * start is retried with new ports.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Settings that decide where and as what the node listens: never taken from the caller. */
    private static final Set<String> FIXED = Set.of(
            "process.roles", "node.id", "broker.id", "listeners", "advertised.listeners",
            "listener.security.protocol.map", "controller.listener.names", "inter.broker.listener.name",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers", "log.dirs", "log.dir",
            "metadata.log.dir");

    private final Path baseDir;
    private final KafkaRaftServer server;
    private final int brokerPort;
    private final int controllerPort;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(Path baseDir, KafkaRaftServer server, int brokerPort, int controllerPort) {
        this.baseDir = baseDir;
        this.server = server;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.bootstrapServers = HOST + ":" + brokerPort;
    }

    /** Starts a broker with the defaults. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code brokerProperties} override the defaults (e.g. {@code log.retention.ms}).
     *
     * @throws IllegalArgumentException if they try to set the listeners, roles, quorum or directories
     */
    public static EmbeddedKafka start(Map<String, String> brokerProperties) {
        for (String key : brokerProperties.keySet()) {
            if (FIXED.contains(key)) {
                throw new IllegalArgumentException("the embedded broker fixes " + key
                        + " (loopback-only listeners, single combined KRaft node): it cannot be overridden");
            }
        }
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(brokerProperties);
            } catch (PortTakenException e) {
                failure = new IllegalStateException("the embedded Kafka broker did not start", e.getCause());
            }
        }
        throw failure;
    }

    private static EmbeddedKafka startOnce(Map<String, String> brokerProperties) {
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("recolens-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        KafkaRaftServer server = null;
        try {
            int controllerPort = freeLoopbackPort();
            int brokerPort = freeLoopbackPort();
            while (brokerPort == controllerPort) brokerPort = freeLoopbackPort();
            String logDir = baseDir.resolve("kraft-combined-logs").toString();

            KafkaConfig config = new KafkaConfig(config(brokerPort, controllerPort, logDir, brokerProperties), false);
            format(logDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(baseDir, server, brokerPort, controllerPort);
            kafka.awaitReady();
            return kafka;
        } catch (Exception e) {
            if (server != null) {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteRecursively(baseDir);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (isPortTaken(e)) throw new PortTakenException(e);
            throw new IllegalStateException("the embedded Kafka broker did not start", e);
        }
    }

    private static Map<String, Object> config(
            int brokerPort, int controllerPort, String logDir, Map<String, String> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDir);
        p.put("metadata.log.dir", logDir);
        // Defaults a caller may override.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.cleaner.dedupe.buffer.size", "2097152"); // 2 MiB instead of 128 MiB of heap
        p.putAll(overrides);
        return p;
    }

    /** What {@code kafka-storage.sh format --cluster-id <random> --config <this config>} does, in-process. */
    private static void format(String logDir) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir))
                .setMetadataLogDirectory(logDir)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .run();
    }

    /** Waits until an admin client on the loopback listener sees this node in the cluster. */
    private void awaitReady() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        Properties p = clientProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
        }
        TimeoutException timeout = new TimeoutException("the broker did not become ready within " + READY_TIMEOUT);
        if (last != null) timeout.initCause(last);
        throw timeout;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        }
    }

    private static boolean isPortTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) return true;
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) return true;
        }
        return false;
    }

    /** A start that failed only because a picked port was taken in the meantime: worth retrying. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(Throwable cause) {
            super(cause);
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

    /** Port of the client listener on 127.0.0.1. */
    int brokerPort() {
        return brokerPort;
    }

    /** Port of the KRaft controller listener on 127.0.0.1. */
    int controllerPort() {
        return controllerPort;
    }

    /** Stops the broker and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
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
