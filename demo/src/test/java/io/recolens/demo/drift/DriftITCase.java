package io.recolens.demo.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.demo.BatchWarehouse;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    /** 6000 requests at 10 per simulated second: ten minutes of event time; the switch comes after five. */
    private static final long HALF_MS = 300_000;

    @TempDir
    static Path work;

    private static GroundTruth drifted;
    private static final Map<String, String> output = new TreeMap<>();

    @BeforeAll
    static void simulateAndRunTheBatchJobTwice() throws Exception {
        SimulatorConfig plain = SimulatorConfig.builder().seed(21).requests(6_000).users(1_500).requestsPerSecond(10)
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

    /** Runs the drift command's run on one namespace (first half vs second half) and reads back its findings. */
    private static List<Record> drift(String namespace) throws Exception {
        List<String> args = new ArrayList<>(List.of("--baseline-from", START.toString(), "--baseline-to", START.plusMillis(HALF_MS).toString(),
                "--from", START.plusMillis(HALF_MS).toString(), "--to", START.plusSeconds(3600).toString()));
        args.addAll(List.of(BatchWarehouse.catalogArgs(work, namespace)));
        DriftCommand.Arguments a = DriftCommand.parse(args.toArray(String[]::new));
        RecolensCatalog recolens = BatchWarehouse.catalog(work, namespace);
        String table = DriftCommand.run(a, recolens, Instant.parse("2026-03-01T11:00:00Z"));
        System.out.println(namespace + ":\n" + table);
        output.put(namespace, table);
        Catalog catalog = recolens.open();
        try {
            return TableReader.readAll(catalog, recolens.tableId(TableDefinitions.DRIFT_FINDINGS));
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
