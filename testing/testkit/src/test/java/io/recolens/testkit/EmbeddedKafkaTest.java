package io.recolens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void producedRecordsAreConsumedBackOnLoopback() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Duration startTime = Duration.ofNanos(System.nanoTime() - started);
            System.out.println("EmbeddedKafka started in " + startTime.toMillis() + " ms on " + kafka.bootstrapServers()
                    + " (controller port " + kafka.controllerPort() + ")");
            assertThat(startTime).isLessThan(Duration.ofSeconds(30));
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.brokerPort());
            kafka.createTopics(2, "round-trip");
            kafka.createTopics(2, "round-trip"); // idempotent

            Properties p = kafka.clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 20; i++) producer.send(new ProducerRecord<>("round-trip", "k" + i, "v" + i)).get();
            }

            Properties c = kafka.clientProperties();
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("round-trip"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen.size() < 20 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.key() + "=" + r.value());
                    }
                }
            }
            assertThat(seen).hasSize(20).contains("k0=v0", "k19=v19");
        }
    }

    @Test
    void brokerAndControllerListenOnLoopbackOnly() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (int port : new int[] {kafka.brokerPort(), kafka.controllerPort()}) {
                // Positive control: the ports are open on loopback, so a refusal elsewhere means something.
                assertThat(connects(loopback, port)).as("reachable on 127.0.0.1:%d", port).isTrue();
            }

            Optional<InetAddress> external = firstNonLoopbackIpv4();
            if (external.isPresent()) {
                for (int port : new int[] {kafka.brokerPort(), kafka.controllerPort()}) {
                    assertThat(connects(external.get(), port))
                            .as("reachable on %s:%d", external.get().getHostAddress(), port)
                            .isFalse();
                }
            } else {
                System.out.println("no non-loopback IPv4 address on this machine: remote reachability not checked");
            }

            // Linux: every listening socket on the two ports is bound to 127.0.0.1 (no 0.0.0.0, no [::]).
            Path tcp = Path.of("/proc/net/tcp");
            if (Files.isReadable(tcp)) {
                List<String> listening = listeningAddresses(List.of(tcp, Path.of("/proc/net/tcp6")),
                        kafka.brokerPort(), kafka.controllerPort());
                assertThat(listening).hasSize(2).allMatch(
                        a -> a.startsWith("0100007F:") // 127.0.0.1 in /proc/net/tcp
                                || a.startsWith("0000000000000000FFFF00000100007F:"), // ::ffff:127.0.0.1 in tcp6
                        "bound to 127.0.0.1");
            }
        }
    }

    @Test
    void listenerSettingsCannotBeOverridden() {
        assertThatThrownBy(() -> EmbeddedKafka.start(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> firstNonLoopbackIpv4() throws SocketException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) continue;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Local addresses ({@code HEXIP:HEXPORT}) of sockets in state LISTEN on the given ports. */
    private static List<String> listeningAddresses(List<Path> tables, int... ports) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path table : tables) {
            if (!Files.isReadable(table)) continue;
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A")) continue; // 0A = LISTEN
                String local = f[1];
                int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                for (int p : ports) if (p == port) found.add(local);
            }
        }
        return found;
    }
}
