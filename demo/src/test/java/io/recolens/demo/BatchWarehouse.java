package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.demo.lineage.ExplainCommand;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TeeTrafficSink;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.TrafficSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * For ITCases of the commands that read the tables: simulates traffic to files, runs the real job in batch mode on
 * them into a hadoop-catalog warehouse under {@code work}, and opens that catalog the way the commands do.
 */
public final class BatchWarehouse {
    private BatchWarehouse() {}

    /** Simulates {@code simulation} (also into {@code alsoTo}), runs the batch job into {@code namespace}; returns the truth. */
    public static GroundTruth simulateAndRun(SimulatorConfig simulation, Path work, String namespace, TrafficSink... alsoTo)
            throws Exception {
        return simulateAndRun(simulation, work, namespace, Map.of(), alsoTo);
    }

    /** As above, with job options added to (or replacing) the defaults, e.g. {@code archive.enabled}. */
    public static GroundTruth simulateAndRun(SimulatorConfig simulation, Path work, String namespace, Map<String, String> options,
            TrafficSink... alsoTo) throws Exception {
        Path input = work.resolve("input-" + namespace);
        GroundTruth truth;
        try (FileTrafficSink files = new FileTrafficSink(input, simulation.spanEncoding())) {
            List<TrafficSink> sinks = new ArrayList<>(List.of(alsoTo));
            sinks.add(0, files);
            truth = new TrafficSimulator().run(simulation, new TeeTrafficSink(sinks));
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mode", "batch");
        config.put("input", "files");
        config.put("input.path", input.toString());
        config.put("spans.encoding", simulation.spanEncoding().name().toLowerCase(java.util.Locale.ROOT));
        config.put("demo", "true");
        config.put("catalog.warehouse", work.resolve("warehouse").toString());
        config.put("catalog.namespace", namespace);
        config.putAll(options);
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of());
        Configuration flink = new Configuration();
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        RecolensJob.run(settings, StreamExecutionEnvironment.createLocalEnvironment(2, flink));
        return truth;
    }

    /** The {@code --catalog.*} flags of that warehouse and namespace, as a user would pass them. */
    public static String[] catalogArgs(Path work, String namespace) {
        return new String[] {"--catalog.warehouse", work.resolve("warehouse").toString(), "--catalog.namespace", namespace};
    }

    /** The catalog the commands open with {@link #catalogArgs}. */
    public static RecolensCatalog catalog(Path work, String namespace) {
        return ExplainCommand.catalog(catalogArgs(work, namespace));
    }
}
