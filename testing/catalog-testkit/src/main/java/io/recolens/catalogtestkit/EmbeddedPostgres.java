package io.recolens.catalogtestkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for tests, from the machine's PostgreSQL binaries: a fresh cluster in a
 * temp folder, listening on 127.0.0.1 only, one database, trust authentication.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM is root (containers, CI), the server binaries run
 * as the {@code postgres} user if the machine has one, else as {@code nobody}, through {@code runuser}
 * (or {@code setpriv}), and the temp folder is handed to that user. Binaries are looked up in the
 * system property {@value #BIN_DIR_PROPERTY}, then {@code PATH}, then {@code /usr/lib/postgresql/<ver>/bin}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** Overrides the folder holding {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    public static final String BIN_DIR_PROPERTY = "recolens.postgres.bin";
    public static final String USER = "recolens";
    public static final String DATABASE = "recolens";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final List<String> BINARIES = List.of("initdb", "pg_ctl", "postgres");
    private static final String INSTALL_HINT = "install PostgreSQL's server binaries (Debian/Ubuntu: apt-get install -y postgresql), "
            + "or point -D" + BIN_DIR_PROPERTY + "=<dir> at a folder holding initdb, pg_ctl and postgres";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path root;
    private final Path binDir;
    private final List<String> runAs;
    private final int port;
    private final String database;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedPostgres(Path root, Path binDir, List<String> runAs, int port, String database) {
        this.root = root;
        this.binDir = binDir;
        this.runAs = runAs;
        this.port = port;
        this.database = database;
        // A server started by pg_ctl outlives the JVM; stop it even if a test forgets close() or the JVM is interrupted.
        this.shutdownHook = new Thread(this::stopQuietly, "embedded-postgres-stop-" + port);
    }

    /** Starts a server with database {@value #DATABASE}. */
    public static EmbeddedPostgres start() {
        return start(DATABASE);
    }

    /** Starts a server and creates {@code database} in it. */
    public static EmbeddedPostgres start(String database) {
        long t0 = System.nanoTime();
        Path binDir = findBinaries();
        List<String> runAs = new ArrayList<>();
        Path root;
        try {
            root = Files.createTempDirectory("recolens-pg");
            Optional<String> serverUser = serverUserIfRoot();
            if (serverUser.isPresent()) {
                handOver(root, serverUser.get());
                runAs.addAll(runAsPrefix(serverUser.get()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a folder for PostgreSQL", e);
        }
        EmbeddedPostgres pg = null;
        try {
            run(root, runAs, binDir.resolve("initdb").toString(), "-A", "trust", "-U", USER, "-E", "UTF8", "--no-locale",
                    "-D", root.resolve("data").toString());
            pg = startServer(root, binDir, runAs, database);
            pg.createDatabase(database);
            LOG.info("PostgreSQL started on 127.0.0.1:{} in {} ms ({}), data in {}", pg.port, (System.nanoTime() - t0) / 1_000_000,
                    runAs.isEmpty() ? "as the current user" : "as " + String.join(" ", runAs), root);
            return pg;
        } catch (RuntimeException e) {
            if (pg != null) {
                pg.close();
            } else {
                deleteRecursively(root);
            }
            throw e;
        }
    }

    // The free-port probe and the server's bind race with other processes: retry on a new port a few times.
    private static EmbeddedPostgres startServer(Path root, Path binDir, List<String> runAs, String database) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            // fsync and friends off: a test server's data is thrown away, durability only costs time.
            String serverOptions = "-c listen_addresses=127.0.0.1 -c port=" + port + " -k '" + root + "'"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            try {
                run(root, runAs, binDir.resolve("pg_ctl").toString(), "-D", root.resolve("data").toString(),
                        "-l", root.resolve("postgres.log").toString(), "-w", "-t", String.valueOf(TIMEOUT_SECONDS),
                        "-o", serverOptions, "start");
                EmbeddedPostgres pg = new EmbeddedPostgres(root, binDir, runAs, port, database);
                Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
                return pg;
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("PostgreSQL did not start on port {} (attempt {}): {}", port, attempt + 1, e.getMessage());
            }
        }
        throw new IllegalStateException("PostgreSQL did not start; server log:\n" + tail(root.resolve("postgres.log")), last);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    /** The superuser every connection uses; trust authentication accepts any password. */
    public String user() {
        return USER;
    }

    public String database() {
        return database;
    }

    public int port() {
        return port;
    }

    /** The temp folder holding the cluster ({@code data/}), the Unix socket and {@code postgres.log}. */
    public Path directory() {
        return root;
    }

    /** A new connection to the server's database as {@link #user()}. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** Creates another database on the same server (e.g. one per test). */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name '" + name + "': use lower-case letters, digits and _");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from another shutdown hook: ours runs anyway and finds the server stopped.
        }
        LOG.info("PostgreSQL on 127.0.0.1:{} stopped in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(root, runAs, binDir.resolve("pg_ctl").toString(), "-D", root.resolve("data").toString(), "-m", "fast", "-w",
                    "-t", String.valueOf(TIMEOUT_SECONDS), "stop");
        } catch (RuntimeException e) {
            LOG.warn("pg_ctl stop failed; the server on port {} may still run: {}", port, e.getMessage());
        }
        deleteRecursively(root);
    }

    // ---- binaries and users

    static Path findBinaries() {
        List<Path> candidates = new ArrayList<>();
        String override = System.getProperty(BIN_DIR_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path dir = Paths.get(override);
            if (!hasBinaries(dir)) {
                throw new IllegalStateException(BIN_DIR_PROPERTY + "=" + override + " holds no initdb, pg_ctl and postgres: " + INSTALL_HINT);
            }
            return dir;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            Arrays.stream(path.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Paths::get).forEach(candidates::add);
        }
        // Debian and Ubuntu keep the server binaries off PATH, one folder per major version: newest first.
        Path debian = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparing(EmbeddedPostgres::majorVersion).reversed())
                        .map(v -> v.resolve("bin")).forEach(candidates::add);
            } catch (IOException e) {
                LOG.debug("cannot list {}: {}", debian, e.getMessage());
            }
        }
        return candidates.stream().filter(EmbeddedPostgres::hasBinaries).findFirst()
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in "
                        + "/usr/lib/postgresql/<version>/bin: " + INSTALL_HINT));
    }

    private static int majorVersion(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean hasBinaries(Path dir) {
        return BINARIES.stream().allMatch(b -> Files.isExecutable(dir.resolve(b)));
    }

    /** The account the server runs as when the JVM is root; empty when the JVM may run it itself. */
    static Optional<String> serverUserIfRoot() {
        if (!isRoot()) {
            return Optional.empty();
        }
        UserPrincipalLookupService lookup = Paths.get("/").getFileSystem().getUserPrincipalLookupService();
        for (String candidate : List.of("postgres", "nobody")) {
            try {
                lookup.lookupPrincipalByName(candidate);
                return Optional.of(candidate);
            } catch (UserPrincipalNotFoundException e) {
                // try the next one
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("the JVM runs as root, which PostgreSQL refuses, and neither a 'postgres' nor a 'nobody' "
                + "account exists to run it as: create one (useradd -r postgres) or run the tests as another user");
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the process's effective user; no native code, no extra module needed.
            Object uid = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static List<String> runAsPrefix(String user) {
        if (onPath("runuser")) {
            return List.of("runuser", "-u", user, "--");
        }
        if (onPath("setpriv")) {
            return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--");
        }
        throw new IllegalStateException("the JVM runs as root and PostgreSQL must run as '" + user
                + "', but neither runuser nor setpriv (util-linux) is on PATH: install util-linux or run the tests as another user");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isBlank() && Files.isExecutable(Paths.get(dir, command)));
    }

    private static void handOver(Path dir, String user) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(owner);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
            view.setGroup(group);
        } catch (UserPrincipalNotFoundException e) {
            // nobody's group is nogroup on Debian: the owner alone is enough for a 0700 folder.
        }
    }

    // ---- processes and files

    private static void run(Path workDir, List<String> runAs, String... command) {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.addAll(List.of(command));
        Path out = null;
        try {
            out = Files.createTempFile("recolens-pg-cmd", ".out");
            // The server user may not be allowed into the JVM's working directory; the temp folder is its own.
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + (TIMEOUT_SECONDS + 10) + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres{" + jdbcUrl() + "}";
    }
}
