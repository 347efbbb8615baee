package io.recolens.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Trino server for tests: the {@code io.trino:trino-server} tarball the build unpacked, run on a Java 24+ JDK
 * in its own process, coordinator and worker in one, HTTP on 127.0.0.1 only, with the given catalog, file-based
 * access-control rules and user-to-group file.
 */
final class TrinoServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(8);
    /** Iceberg connector, and the file group provider (in Trino's password-authenticators plugin). */
    private static final List<String> PLUGINS = List.of("iceberg", "password-authenticators");

    private final Process process;
    private final int port;
    private final Path log;

    private TrinoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Writes {@code work/etc} (where Trino looks for its catalogs, access control and group provider, relative to its
     * working directory {@code work}) and starts the server (it is ready after {@link #awaitReady()}).
     *
     * @param catalogs catalog name to its properties file content
     */
    static TrinoServer start(Path home, Path work, Map<String, String> catalogs, Path rules, Path groups) throws IOException {
        if (!Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException("no Trino server at " + home + ": the build unpacks it in pre-integration-test"
                    + " (run through mvn verify, not the IDE alone)");
        }
        restoreHardLinks(home);
        Path javaHome = javaHome();
        // Only the plugins the test uses: the others unpacked beside them hold shared jars, not plugins to load.
        Path plugins = work.resolve("plugin");
        Files.createDirectories(plugins);
        for (String plugin : PLUGINS) {
            if (!Files.exists(plugins.resolve(plugin))) {
                Files.createSymbolicLink(plugins.resolve(plugin), home.resolve("plugin").resolve(plugin));
            }
        }
        int port = freePort();
        Path etc = work.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        Files.writeString(etc.resolve("config.properties"), String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "node.environment=recolens_test",
                "node.id=recolens-it",
                "node.bind-ip=127.0.0.1",
                "node.internal-address=127.0.0.1",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port,
                "plugin.dir=" + plugins,
                "log.path=" + work.resolve("server.log"),
                "query.max-memory=1GB",
                "query.max-memory-per-node=512MB",
                ""), StandardCharsets.UTF_8);
        Files.writeString(etc.resolve("access-control.properties"),
                "access-control.name=file\nsecurity.config-file=" + rules.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        Files.writeString(etc.resolve("group-provider.properties"),
                "group-provider.name=file\nfile.group-file=" + groups.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        for (Map.Entry<String, String> catalog : catalogs.entrySet()) {
            Files.writeString(etc.resolve("catalog").resolve(catalog.getKey() + ".properties"), catalog.getValue(), StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>(List.of(
                javaHome.resolve("bin/java").toString(),
                "-Xmx2G", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-XX:ReservedCodeCacheSize=256M",
                "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", "-Dfile.encoding=UTF-8",
                "--enable-native-access=ALL-UNNAMED",
                "-Dconfig=" + etc.resolve("config.properties"),
                "-cp", home.resolve("lib") + "/*",
                "io.trino.server.TrinoServer"));
        Path log = work.resolve("trino.log");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new TrinoServer(process, port, log);
    }

    /**
     * The server tarball stores a file shared by several folders once and hard-links the other copies to it; Maven's
     * unpacker writes those copies as empty files. Each empty jar is linked to the unpacked copy of the same name (the
     * tarball's jar names carry group and version, so one name is one file). Idempotent.
     */
    static void restoreHardLinks(Path home) throws IOException {
        Map<String, Path> withContent = new java.util.HashMap<>();
        List<Path> empty = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".jar")).toList()) {
                if (Files.size(f) == 0) {
                    empty.add(f);
                } else {
                    withContent.putIfAbsent(f.getFileName().toString(), f);
                }
            }
        }
        for (Path f : empty) {
            Path source = withContent.get(f.getFileName().toString());
            if (source == null) {
                continue;
            }
            Files.delete(f);
            try {
                Files.createLink(f, source);
            } catch (IOException | UnsupportedOperationException noLinks) {
                Files.copy(source, f);
            }
        }
    }

    /** Waits until {@code /v1/info} reports the server started; fails with the log's tail otherwise. */
    TrinoServer awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (info.statusCode() == 200 && info.body().replace(" ", "").contains("\"starting\":false")) {
                    // The scheduler caches its node map for 5 s after start: a query right away can fail with
                    // "No nodes available to run query" (seen once in CI), so let one refresh pass first.
                    Thread.sleep(6_000);
                    return this;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Trino did not start within " + STARTUP + ":\n" + tail());
    }

    String jdbcUrl() {
        return "jdbc:trino://127.0.0.1:" + port;
    }

    String tail() {
        Path server = log.resolveSibling("server.log");
        Path file = Files.exists(server) ? server : log;
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * The JDK Trino runs on: {@code -Drecolens.trino.java.home} or {@code TRINO_JAVA_HOME}, else the newest JDK of
     * version 24 or later under {@code /usr/lib/jvm} (where Debian packages and Temurin install them).
     */
    static Path javaHome() {
        String configured = Optional.ofNullable(System.getProperty("recolens.trino.java.home")).orElse(System.getenv("TRINO_JAVA_HOME"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                Optional<Path> newest = dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && majorVersion(d) >= 24)
                        .max(Comparator.comparingInt(TrinoServer::majorVersion));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("Trino 476 needs Java 24+: none found under /usr/lib/jvm; set TRINO_JAVA_HOME");
    }

    private static int majorVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
