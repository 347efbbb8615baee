package io.recolens.catalogtestkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Iceberg REST catalog server on 127.0.0.1 for tests: the JDK's HTTP server in front of
 * {@link RestCatalogRoutes}, backed by a real catalog whose metadata and data files live on local disk,
 * so Flink, Spark and a plain Iceberg client all read the same tables.
 *
 * <p>The default backing catalog is Iceberg's {@code JdbcCatalog} on a SQLite file next to the
 * warehouse (what Iceberg's own REST test fixture uses too); any catalog that manages namespaces can be
 * passed instead, e.g. a JdbcCatalog on {@link EmbeddedPostgres}.
 */
public final class EmbeddedRestCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRestCatalog.class);
    private static final String JDBC_CATALOG = "org.apache.iceberg.jdbc.JdbcCatalog";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Catalog backing;
    private final boolean ownsBacking;
    private final String warehouse;
    private final AtomicLong requests = new AtomicLong();

    private EmbeddedRestCatalog(HttpServer server, ExecutorService executor, Catalog backing, boolean ownsBacking, String warehouse) {
        this.server = server;
        this.executor = executor;
        this.backing = backing;
        this.ownsBacking = ownsBacking;
        this.warehouse = warehouse;
    }

    /**
     * Starts a server whose tables live in {@code dir/warehouse} and whose catalog pointers live in
     * {@code dir/catalog.db} (SQLite). Starting again on the same folder finds the same tables.
     */
    public static EmbeddedRestCatalog start(Path dir) {
        try {
            Files.createDirectories(dir.resolve("warehouse"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.resolve("warehouse"), e);
        }
        String warehouse = dir.resolve("warehouse").toAbsolutePath().toString();
        Map<String, String> props = new LinkedHashMap<>();
        props.put(CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        // V1 adds view support to the JDBC schema; harmless for tables and what a new catalog should use.
        props.put("jdbc.schema-version", "V1");
        Catalog backing = CatalogUtil.loadCatalog(JDBC_CATALOG, "rest_backing", props, new Configuration());
        return start(backing, warehouse, true);
    }

    /** Serves {@code backing} (not closed by {@link #close()}); {@code warehouse} is what {@link #warehouse()} reports. */
    public static EmbeddedRestCatalog start(Catalog backing, String warehouse) {
        return start(backing, warehouse, false);
    }

    private static EmbeddedRestCatalog start(Catalog backing, String warehouse, boolean ownsBacking) {
        long t0 = System.nanoTime();
        RestCatalogRoutes routes = new RestCatalogRoutes(backing, Map.of());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an HTTP server on 127.0.0.1", e);
        }
        // One thread: requests to the backing catalog run one at a time, so a SQLite file never sees two
        // writers (it would answer SQLITE_BUSY) and commits are serialized as a real catalog's would be.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "embedded-rest-catalog");
            t.setDaemon(true);
            return t;
        });
        EmbeddedRestCatalog rest = new EmbeddedRestCatalog(server, executor, backing, ownsBacking, warehouse);
        server.createContext("/", exchange -> rest.serve(routes, exchange));
        server.setExecutor(executor);
        server.start();
        LOG.info("Iceberg REST catalog on {} started in {} ms, warehouse {}", rest.uri(), (System.nanoTime() - t0) / 1_000_000, warehouse);
        return rest;
    }

    private void serve(RestCatalogRoutes routes, HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = exchange.getRequestMethod();
            RestCatalogRoutes.Response response = routes.handle(method, exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), body);
            LOG.debug("{} {} -> {}", method, exchange.getRequestURI(), response.status());
            if (response.body() == null || method.equals("HEAD")) {
                // -1: no body at all, which HEAD and 204 require.
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** {@code http://127.0.0.1:<port>}: the value of {@code catalog.uri} (Iceberg's {@code uri}). */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String warehouse() {
        return warehouse;
    }

    /** The catalog behind the server, to check from the server's side what clients did. */
    public Catalog backingCatalog() {
        return backing;
    }

    /** HTTP requests served so far: lets a test prove its client really went through REST. */
    public long requestCount() {
        return requests.get();
    }

    /** Iceberg client properties for this server: {@code type=rest}, {@code uri}, {@code warehouse}. */
    public Map<String, String> clientProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("type", "rest");
        props.put(CatalogProperties.URI, uri());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        return props;
    }

    @Override
    public void close() {
        long t0 = System.nanoTime();
        String uri = uri();
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsBacking && backing instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the backing catalog failed: {}", e.getMessage());
            }
        }
        LOG.info("Iceberg REST catalog on {} stopped in {} ms", uri, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public String toString() {
        return "EmbeddedRestCatalog{" + uri() + ", warehouse=" + warehouse + "}";
    }
}
