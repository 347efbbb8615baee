package io.recolens.catalogtestkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg's own REST client against the embedded server: namespaces, tables, commits, errors, data on disk, restarts. */
class EmbeddedRestCatalogTest {

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()));
    private static final Namespace NS = Namespace.of("recolens");

    @TempDir
    Path dir;

    private static Catalog client(EmbeddedRestCatalog server) {
        return CatalogUtil.buildIcebergCatalog("client", server.clientProperties(), new Configuration());
    }

    @Test
    void tablesCreatedAndWrittenThroughRestAreOnDiskAndSurviveARestart() throws Exception {
        TableIdentifier id = TableIdentifier.of(NS, "people");
        long t0 = System.nanoTime();
        try (EmbeddedRestCatalog server = EmbeddedRestCatalog.start(dir)) {
            System.out.printf("EmbeddedRestCatalog start: %d ms (%s)%n", (System.nanoTime() - t0) / 1_000_000, server.uri());
            assertThat(server.uri()).startsWith("http://127.0.0.1:");
            Catalog rest = client(server);
            assertThat(rest.getClass().getSimpleName()).isEqualTo("RESTCatalog");
            // A HashMap: the client's request builder probes for null keys, which Map.of rejects.
            ((SupportsNamespaces) rest).createNamespace(NS, new HashMap<>(Map.of("owner", "recolens")));
            assertThat(((SupportsNamespaces) rest).loadNamespaceMetadata(NS)).containsEntry("owner", "recolens");
            Table table = rest.createTable(id, SCHEMA, PartitionSpec.unpartitioned());
            append(table, List.of(row(1, "a"), row(2, "b"), row(3, null)));

            assertThat(rest.listTables(NS)).containsExactly(id);
            List<String> files = plannedFiles(rest.loadTable(id));
            assertThat(files).hasSize(1);
            // The server's own catalog saw the commit, and the files sit in its warehouse folder.
            Table serverSide = server.backingCatalog().loadTable(id);
            assertThat(serverSide.currentSnapshot().summary()).containsEntry("total-records", "3");
            assertThat(serverSide.location()).startsWith(server.warehouse());
            try (var onDisk = Files.walk(Path.of(server.warehouse()))) {
                assertThat(onDisk.map(Path::toString).filter(p -> p.endsWith(".parquet"))).containsExactlyElementsOf(files);
            }
            assertThat(server.requestCount()).isGreaterThan(5);
            ((AutoCloseable) rest).close();
            t0 = System.nanoTime();
        }
        System.out.printf("EmbeddedRestCatalog stop: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        try (EmbeddedRestCatalog again = EmbeddedRestCatalog.start(dir)) {
            Catalog rest = client(again);
            assertThat(plannedFiles(rest.loadTable(id))).hasSize(1);
            ((AutoCloseable) rest).close();
        }
    }

    @Test
    void catalogErrorsReachTheClientAsTheSameExceptions() throws Exception {
        try (EmbeddedRestCatalog server = EmbeddedRestCatalog.start(dir)) {
            Catalog rest = client(server);
            SupportsNamespaces namespaces = (SupportsNamespaces) rest;
            TableIdentifier id = TableIdentifier.of(NS, "t");
            namespaces.createNamespace(NS);
            assertThat(rest.tableExists(id)).isFalse();
            assertThatThrownBy(() -> rest.loadTable(id)).isInstanceOf(NoSuchTableException.class);
            rest.createTable(id, SCHEMA);
            assertThat(rest.tableExists(id)).isTrue();
            assertThatThrownBy(() -> rest.createTable(id, SCHEMA)).isInstanceOf(AlreadyExistsException.class);
            assertThatThrownBy(() -> namespaces.dropNamespace(NS)).isInstanceOf(NamespaceNotEmptyException.class);

            TableIdentifier renamed = TableIdentifier.of(NS, "t2");
            rest.renameTable(id, renamed);
            assertThat(rest.listTables(NS)).containsExactly(renamed);
            assertThat(rest.dropTable(renamed, true)).isTrue();
            assertThat(namespaces.dropNamespace(NS)).isTrue();
            assertThat(namespaces.namespaceExists(NS)).isFalse();
            ((AutoCloseable) rest).close();
        }
    }

    @Test
    void unknownRoutesAndMalformedBodiesAreClientErrors() throws Exception {
        try (EmbeddedRestCatalog server = EmbeddedRestCatalog.start(dir)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/nothing")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"code\":404");
            HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/namespaces"))
                    .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(malformed.statusCode()).isEqualTo(400);
            HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/config")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("POST /v1/{prefix}/namespaces/{namespace}/tables/{table}");
        }
    }

    private static Record row(long id, String name) {
        GenericRecord r = GenericRecord.create(SCHEMA);
        r.setField("id", id);
        r.setField("name", name);
        return r;
    }

    private static void append(Table table, List<Record> rows) throws IOException {
        OutputFile out = table.io().newOutputFile(table.locationProvider().newDataLocation("part-0.parquet"));
        FileAppender<Record> appender = new GenericAppenderFactory(table.schema()).newAppender(out, FileFormat.PARQUET);
        try (appender) {
            appender.addAll(rows);
        }
        DataFile file = DataFiles.builder(table.spec()).withInputFile(out.toInputFile()).withMetrics(appender.metrics())
                .withFormat(FileFormat.PARQUET).build();
        table.newAppend().appendFile(file).commit();
    }

    private static Path localPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    // Planned files, not rows: reading rows through iceberg-flink-runtime registers Flink's readers, and
    // this module stays free of Flink. The jobs' CatalogsITCase reads the rows back through REST.
    private static List<String> plannedFiles(Table table) throws IOException {
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                assertThat(localPath(task.file().location())).exists();
                assertThat(task.file().recordCount()).isEqualTo(3);
                files.add(localPath(task.file().location()).toString());
            }
        }
        return files;
    }
}
