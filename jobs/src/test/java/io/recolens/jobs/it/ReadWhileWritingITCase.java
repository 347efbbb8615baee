package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.Pacer;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers never see a half-written commit: while the streaming job commits every ~500 ms, another thread reads
 * every new snapshot of {@code lineage_history} and {@code variant_engagement} with Iceberg's API and checks it is
 * complete and consistent; after a draining stop the totals equal the simulator's ground truth.
 */
class ReadWhileWritingITCase {
    private static final String GROUP = "read-while-writing";
    private static final List<String> WATCHED = List.of(TableDefinitions.LINEAGE_HISTORY, TableDefinitions.VARIANT_ENGAGEMENT);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path warehouse;

    @TempDir
    Path savepoints;

    /** What the reader learnt about one table's snapshots, in commit order. */
    private static final class Seen {
        final Set<Long> snapshots = new HashSet<>();
        long lastRows = 0;
        long lastImpressions = 0;
        Set<String> lastImpressionIds = new HashSet<>();
        int nonEmpty = 0;
    }

    @Test
    void everySnapshotIsCompleteWhileTheJobCommitsAndTheDrainedTotalsMatchTheTruth() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            // One partition per topic: event time then advances evenly and the job flushes while traffic flows.
            kafka.createTopics(1, "reco.impressions", "reco.clicks", "otlp_spans");
            // Short windows so that rows become final (and committed) during the run, not only at the drain.
            // Simulated time runs at wall time from a minute ago (15 s of traffic), so no timestamp is ahead of the clock and
            // the job commits several times while traffic flows, even on a busy machine (at 2x it flaked under load).
            SimulatorConfig config = SimulatorConfig.builder().clean().seed(11).requests(600).users(150)
                    .startEpochMs(System.currentTimeMillis() - 60_000).requestsPerSecond(40)
                    .attributionWindowMs(3_000).meanClickDelayMs(800).build();

            Map<String, String> settings = new HashMap<>();
            settings.put("mode", "streaming");
            settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            settings.put("kafka.group-id", GROUP);
            settings.put("kafka.starting-offsets", "earliest");
            settings.put("checkpoint.interval", "500 ms");
            settings.put("trace.gap", "1 s");
            settings.put("attribution.window", "3 s");
            settings.put("attribution.orphan-timeout", "4 s");
            settings.put("aggregate.window", "2 s");
            settings.put("watermark.out-of-orderness", "2 s");
            settings.put("catalog.warehouse", warehouse.toString());
            settings.put("demo", "true");
            JobSettings job = JobSettings.from(ConfigReader.fromMap(settings), Map.of());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            RecolensJob.build(job, env);
            JobClient client = env.executeAsync(RecolensJob.jobName(job));

            RecolensCatalog recolens = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString()));
            Catalog catalog = recolens.open();
            Map<String, Seen> seen = new TreeMap<>();
            WATCHED.forEach(t -> seen.put(t, new Seen()));
            List<Throwable> readerErrors = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        for (String t : WATCHED) {
                            checkNewSnapshots(catalog.loadTable(recolens.tableId(t)), seen.get(t));
                        }
                        Thread.sleep(50);
                    }
                } catch (Throwable e) {
                    readerErrors.add(e);
                }
            }, "snapshot-reader");
            reader.start();

            GroundTruth truth;
            try (KafkaTrafficSink sink = new KafkaTrafficSink(kafka.bootstrapServers(), KafkaTrafficSink.Topics.defaults())) {
                truth = new TrafficSimulator().run(config, sink, Pacer.wallClock(config.startEpochMs(), 1.0));
            }
            waitUntilConsumed(kafka, 90_000);
            // Drain: the end of event time fires every pending window and attribution before the final commit.
            client.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            client.getJobExecutionResult().get(60, TimeUnit.SECONDS);

            // One last pass over the snapshots of the final commit, then stop the reader.
            Thread.sleep(200);
            stop.set(true);
            reader.join(30_000);
            assertThat(readerErrors).as("snapshot checks while the job committed").isEmpty();
            for (String t : WATCHED) {
                checkNewSnapshots(catalog.loadTable(recolens.tableId(t)), seen.get(t));
            }
            // A reader that only ever saw the final commit would prove nothing about reading while writing.
            assertThat(seen.get(TableDefinitions.LINEAGE_HISTORY).nonEmpty).as("non-empty lineage snapshots").isGreaterThanOrEqualTo(3);
            assertThat(seen.get(TableDefinitions.VARIANT_ENGAGEMENT).nonEmpty).as("non-empty engagement snapshots").isGreaterThanOrEqualTo(3);

            assertThat(seen.get(TableDefinitions.LINEAGE_HISTORY).lastRows).isEqualTo(truth.totals().impressions());
            Map<String, long[]> sums = new TreeMap<>();
            for (Record r : TableReader.readAll(catalog, recolens.tableId(TableDefinitions.VARIANT_ENGAGEMENT))) {
                long[] s = sums.computeIfAbsent(r.getField("experiment") + "=" + r.getField("variant"), k -> new long[3]);
                s[0] += (Long) r.getField("impressions");
                s[1] += (Long) r.getField("item_impressions");
                s[2] += (Long) r.getField("clicks");
            }
            assertThat(sums).hasSize(truth.variants().size());
            for (GroundTruth.VariantTruth v : truth.variants()) {
                assertThat(sums.get(v.experiment() + "=" + v.variant())).as(v.experiment() + "/" + v.variant())
                        .containsExactly(v.impressions(), v.itemImpressions(), v.clicks());
            }
            System.out.printf("read while writing: %d lineage / %d engagement snapshots checked, %d ms%n",
                    seen.get(TableDefinitions.LINEAGE_HISTORY).snapshots.size(), seen.get(TableDefinitions.VARIANT_ENGAGEMENT).snapshots.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Checks each snapshot of {@code table} not checked before, oldest first. */
    private static void checkNewSnapshots(Table table, Seen seen) throws IOException {
        table.refresh();
        List<Snapshot> fresh = new ArrayList<>();
        for (Snapshot s : table.snapshots()) {
            if (!seen.snapshots.contains(s.snapshotId())) fresh.add(s);
        }
        fresh.sort((a, b) -> Long.compare(a.sequenceNumber(), b.sequenceNumber()));
        for (Snapshot s : fresh) {
            checkSnapshot(table, s, seen);
            seen.snapshots.add(s.snapshotId());
        }
    }

    private static void checkSnapshot(Table table, Snapshot snapshot, Seen seen) throws IOException {
        String what = table.name() + "@" + snapshot.snapshotId();
        long totalRecords = Long.parseLong(snapshot.summary().get("total-records"));

        // Every referenced data file exists with the committed size and is a whole Parquet file (magic at both ends),
        // and the files' record counts add up to the summary: a commit published before its files were complete fails here.
        long fileRecords = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                InputFile in = table.io().newInputFile(file.location());
                assertThat(in.exists()).as(what + " " + file.location()).isTrue();
                assertThat(in.getLength()).as(what + " size of " + file.location()).isEqualTo(file.fileSizeInBytes());
                assertThat(parquetMagicAtBothEnds(in)).as(what + " " + file.location() + " is complete Parquet").isTrue();
                fileRecords += file.recordCount();
            }
        }
        assertThat(fileRecords).as(what + " data file record counts").isEqualTo(totalRecords);

        // The rows a reader gets at this snapshot are exactly the committed ones.
        long rows = 0;
        long impressions = 0;
        Set<String> impressionIds = new HashSet<>();
        boolean lineage = table.name().endsWith(TableDefinitions.LINEAGE_HISTORY);
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build()) {
            for (Record r : records) {
                rows++;
                if (lineage) {
                    assertThat(impressionIds.add((String) r.getField("impression_id"))).as(what + " duplicate impression " + r.getField("impression_id")).isTrue();
                } else {
                    impressions += (Long) r.getField("impressions");
                }
            }
        }
        assertThat(rows).as(what + " rows read vs total-records").isEqualTo(totalRecords);

        // Append-only: nothing a reader saw before disappears, and the summary's added-records is exactly the growth.
        assertThat(rows).as(what + " rows never decrease").isGreaterThanOrEqualTo(seen.lastRows);
        String added = snapshot.summary().get("added-records");
        assertThat(rows - seen.lastRows).as(what + " growth vs added-records").isEqualTo(added == null ? 0 : Long.parseLong(added));
        if (lineage) {
            assertThat(impressionIds).as(what + " keeps every earlier impression").containsAll(seen.lastImpressionIds);
            seen.lastImpressionIds = impressionIds;
        } else {
            assertThat(impressions).as(what + " impressions never decrease").isGreaterThanOrEqualTo(seen.lastImpressions);
            seen.lastImpressions = impressions;
        }
        if (rows > seen.lastRows) seen.nonEmpty++;
        seen.lastRows = rows;
    }

    private static boolean parquetMagicAtBothEnds(InputFile in) throws IOException {
        long length = in.getLength();
        if (length < 12) return false;
        byte[] head = new byte[4];
        byte[] tail = new byte[4];
        try (SeekableInputStream s = in.newStream()) {
            readFully(s, head);
            s.seek(length - 4);
            readFully(s, tail);
        }
        return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("PAR1")
                && new String(tail, java.nio.charset.StandardCharsets.US_ASCII).equals("PAR1");
    }

    private static void readFully(InputStream in, byte[] into) throws IOException {
        int off = 0;
        while (off < into.length) {
            int n = in.read(into, off, into.length - off);
            if (n < 0) throw new UncheckedIOException(new IOException("short read"));
            off += n;
        }
    }

    /** Waits until the job's committed consumer offsets reach the end of every partition. */
    private static void waitUntilConsumed(EmbeddedKafka kafka, long timeoutMs) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("reco.impressions", 0),
                    new TopicPartition("reco.clicks", 0), new TopicPartition("otlp_spans", 0));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (true) {
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                boolean done = partitions.stream().allMatch(p -> committed.get(p) != null
                        && committed.get(p).offset() >= ends.get(p).offset());
                if (done) return;
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the job did not consume every record in time: committed " + committed + ", ends " + ends);
                }
                Thread.sleep(200);
            }
        }
    }
}
