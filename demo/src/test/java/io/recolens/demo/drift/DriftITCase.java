package io.recolens.demo.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.demo.BatchWarehouse;
import io.recolens.jobs.governance.Governance;
import io.recolens.jobs.governance.MaintenanceAction;
import io.recolens.jobs.governance.MaintenanceSettings;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift end to end: simulator traffic in which the power cohort of {@code rec_algorithm_v3=hybrid} switches
 * {@code user_embedding} to v16 halfway through, through the batch job into Iceberg, then {@code bin/recolens drift}
 * (the command's run, catalog read from {@code --catalog.*} flags) with the first half as baseline and everything after
 * the switch as window. The finding must exist for that variant, be attributed to the switched feature version and the cohort, and
 * be absent for the variants no switched user is in; the same traffic without the injection must give no finding.
 */
class DriftITCase {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    /** 4000 requests at 10 per simulated second: 400 s of event time; the switch comes halfway. */
    private static final long HALF_MS = 200_000;

    @TempDir
    static Path work;

    private static GroundTruth drifted;
    private static final Map<String, String> output = new TreeMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void simulateAndRunTheBatchJobTwice() throws Exception {
        SimulatorConfig plain = SimulatorConfig.builder().seed(21).requests(4_000).users(1_000).requestsPerSecond(10)
                .startEpochMs(START.toEpochMilli()).clean().build();
        drifted = BatchWarehouse.simulateAndRun(plain.toBuilder().featureDrift("power", HALF_MS)
                .featureDriftVariant("rec_algorithm_v3=hybrid").build(), work, "drifted");
        BatchWarehouse.simulateAndRun(plain, work, "plain");
    }

    @Test
    void theInjectedSwitchIsFoundForItsVariantAndAttributedToTheFeatureVersionAndTheCohort() throws Exception {
        List<Record> findings = drift("drifted");
        Record hybrid = only(findings, "rec_algorithm_v3", "hybrid", DriftScan.FEATURE_VERSIONS);
        assertThat(hybrid).as("the hybrid variant's feature_versions finding").isNotNull();
        GroundTruth.FeatureDriftTruth truth = drifted.featureDrift();
        assertThat(hybrid.getField("contributor_kind")).isEqualTo("feature");
        assertThat(hybrid.getField("contributor")).isEqualTo(truth.feature() + "@" + truth.version());
        assertThat(hybrid.getField("top_bin")).isEqualTo(truth.feature() + "@" + truth.version());
        assertThat(hybrid.getField("segment")).isEqualTo(truth.cohort());
        assertThat((Double) hybrid.getField("segment_share")).isGreaterThan(0.99);
        assertThat((Double) hybrid.getField("top_bin_baseline_share")).isZero();
        // The window's share of the new version is exactly the switched features of the ground truth.
        long switched = truth.impressionsByVariant().get("rec_algorithm_v3/hybrid");
        assertThat((Double) hybrid.getField("top_bin_window_share") * (Long) hybrid.getField("window_count"))
                .isCloseTo(switched, org.assertj.core.data.Offset.offset(0.5));
        assertThat((Double) hybrid.getField("divergence")).isGreaterThan(0.05);
        assertThat(hybrid.getField("detail").toString()).contains("user_embedding@v16", "segment power");
        // No switched user is in the other two variants of that experiment: no feature finding there.
        assertThat(only(findings, "rec_algorithm_v3", "control", DriftScan.FEATURE_VERSIONS)).isNull();
        assertThat(only(findings, "rec_algorithm_v3", "collaborative", DriftScan.FEATURE_VERSIONS)).isNull();
        // ranking_boost_v2's variants each hold about a third of the switched users: found there too, same attribution.
        for (Record r : findings) {
            if (r.getField("signal").equals(DriftScan.FEATURE_VERSIONS)) {
                assertThat(r.getField("contributor")).as(r.toString()).isEqualTo("user_embedding@v16");
                assertThat(r.getField("segment")).isEqualTo("power");
            }
        }
        // The switch changes nothing else the simulator draws: no finding for another signal.
        assertThat(findings).extracting(r -> r.getField("signal")).containsOnly(DriftScan.FEATURE_VERSIONS);
    }

    @Test
    void theSameTrafficWithoutTheInjectionGivesNoFinding() throws Exception {
        List<Record> findings = drift("plain");
        assertThat(findings).as(output.get("plain")).isEmpty();
        assertThat(output.get("plain")).contains("0 findings of", "feature_versions", "ranking_score", "service_latency",
                "item_popularity_served");
    }

    @Test
    void maintainAppliesTheRetentionOfDriftFindings() throws Exception {
        drift("drifted");
        RecolensCatalog recolens = BatchWarehouse.catalog(work, "drifted");
        Catalog catalog = recolens.open();
        try {
            // computed_at is 2026-03-01: 400 days of retention keep that day on 2027-04-05 and drop it on 2027-04-06 (dry runs).
            for (String today : List.of("2027-04-05", "2027-04-06")) {
                Governance.Run run = Governance.maintain(catalog, recolens.namespace(), MaintenanceSettings.from(new Configuration()), true, false,
                        Instant.now(), LocalDate.parse(today));
                List<String> dropped = run.actions().stream().filter(x -> x.table().equals(TableDefinitions.DRIFT_FINDINGS)
                        && x.action().equals(MaintenanceAction.RETENTION)).flatMap(x -> x.partitions().stream()).map(p -> p.substring(p.indexOf('=') + 1)).toList();
                assertThat(dropped).as(today).isEqualTo(today.equals("2027-04-05") ? List.of() : List.of("2026-03-01"));
            }
        } finally {
            if (catalog instanceof AutoCloseable c) c.close();
        }
    }

    /** Runs the drift command's run on one namespace (first half vs second half) and reads back its findings. */
    private static List<Record> drift(String namespace) throws Exception {
        List<String> args = new ArrayList<>(List.of("--baseline-from", START.toString(), "--baseline-to", START.plusMillis(HALF_MS).toString(),
                "--from", START.plusMillis(HALF_MS).toString(), "--to", START.plusSeconds(3600).toString()));
        args.addAll(List.of(BatchWarehouse.catalogArgs(work, namespace)));
        DriftCommand.Arguments a = DriftCommand.parse(args.toArray(String[]::new));
        RecolensCatalog recolens = BatchWarehouse.catalog(work, namespace);
        // Each run its own computed_at (same day), so a test reads only the findings of its own run.
        Instant now = Instant.parse("2026-03-01T11:00:00Z").plusSeconds(RUNS.incrementAndGet());
        String table = DriftCommand.run(a, recolens, now);
        System.out.println(namespace + ":\n" + table);
        output.put(namespace, table);
        Catalog catalog = recolens.open();
        try {
            return TableReader.readAll(catalog, recolens.tableId(TableDefinitions.DRIFT_FINDINGS)).stream()
                    .filter(r -> ((java.time.OffsetDateTime) r.getField("computed_at")).toInstant().equals(now)).toList();
        } finally {
            if (catalog instanceof AutoCloseable c) c.close();
        }
    }

    private static Record only(List<Record> findings, String experiment, String variant, String signal) {
        Record found = null;
        for (Record r : findings) {
            if (r.getField("experiment").equals(experiment) && r.getField("variant").equals(variant) && r.getField("signal").equals(signal)) {
                assertThat(found).as("one finding per experiment, variant and signal").isNull();
                found = r;
            }
        }
        return found;
    }
}
