package io.recolens.demo.lineage;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.ConfigException;
import io.recolens.jobs.config.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens replay --trace ID [--format text|json] [--config FILE] [--catalog.key value ...]}: reruns the join
 * logic on one trace from the raw archive and prints the result beside what the job recorded. Exit 0 when they agree,
 * 3 when they differ, 1 when the archive does not hold the trace.
 */
public final class ReplayCommand {
    private static final String USAGE = "usage: bin/recolens replay --trace ID [--format text|json] [--config FILE] [--catalog.<key> value ...]";

    private ReplayCommand() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (tests call this; main exits with it). */
    public static int run(String[] args) throws Exception {
        String trace = null;
        String format = "text";
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trace" -> trace = i + 1 < args.length ? args[++i] : null;
                case "--format" -> format = i + 1 < args.length ? args[++i] : "";
                default -> rest.add(args[i]);
            }
        }
        if (trace == null || !(format.equals("text") || format.equals("json"))) {
            System.err.println(USAGE);
            return 2;
        }
        String[] configArgs = rest.toArray(String[]::new);
        RecolensCatalog recolens;
        Map<String, String> config;
        try {
            recolens = ExplainCommand.catalog(configArgs);
            config = ConfigReader.fromArgs(configArgs).toMap();
        } catch (ConfigException e) {
            System.err.println("recolens: " + e.getMessage());
            return 2;
        }
        Catalog opened = recolens.open();
        try {
            Map<String, Object> result = new TraceReplay(opened, recolens, config).replay(trace.toLowerCase(java.util.Locale.ROOT));
            System.out.print(format.equals("json") ? ExplainCommand.json(result) : ReplayReport.render(result));
            if (result.containsKey("note")) {
                System.err.println("recolens: " + result.get("note"));
                return 1;
            }
            return Boolean.TRUE.equals(result.get("matches")) ? 0 : 3;
        } finally {
            if (opened instanceof AutoCloseable c) c.close();
        }
    }
}
