package io.recolens.demo.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.ConfigException;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.RecolensOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens explain --impression ID | --trace ID [--format text|json] [--config FILE] [--catalog.key value ...]}:
 * prints the lineage of one recommendation or of one trace from the Iceberg tables alone. The catalog is read as
 * {@code run} reads it: defaults, then the properties file, then {@code --catalog.*} flags.
 */
public final class ExplainCommand {
    private static final String USAGE = "usage: bin/recolens explain --impression ID | --trace ID [--format text|json]"
            + " [--config FILE] [--catalog.<key> value ...]";

    private ExplainCommand() {}

    public static void main(String[] args) throws Exception {
        String impression = null;
        String trace = null;
        String format = "text";
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--impression" -> impression = value(args, ++i);
                case "--trace" -> trace = value(args, ++i);
                case "--format" -> format = value(args, ++i);
                default -> rest.add(args[i]);
            }
        }
        if ((impression == null) == (trace == null) || !(format.equals("text") || format.equals("json"))) {
            System.err.println(USAGE);
            System.exit(2);
        }
        RecolensCatalog recolens;
        try {
            recolens = catalog(rest.toArray(String[]::new));
        } catch (ConfigException e) {
            System.err.println("recolens: " + e.getMessage());
            System.exit(2);
            return;
        }
        Catalog opened = recolens.open();
        try {
            LineageExplainer explainer = new LineageExplainer(opened, recolens);
            Map<String, Object> result = impression != null ? explainer.impression(impression) : explainer.trace(trace);
            System.out.print(format.equals("json") ? json(result) : ExplainTree.render(result));
            if (((List<?>) result.get("impressions")).isEmpty() && ((List<?>) result.get("trace_anomalies")).isEmpty()) {
                System.err.println("recolens: nothing recorded for " + (impression != null ? "impression " + impression : "trace " + trace)
                        + " in " + recolens.namespace());
                System.exit(1);
            }
        } finally {
            if (opened instanceof AutoCloseable c) c.close();
        }
    }

    /** The catalog {@code run} would write to with the same {@code --config} and {@code --catalog.*} arguments. */
    public static RecolensCatalog catalog(String[] configArgs) {
        Map<String, String> all = ConfigReader.fromArgs(configArgs).toMap();
        return RecolensCatalog.of(CatalogConfig.fromPrefixedProperties(all, RecolensOptions.CATALOG_PREFIX));
    }

    /** The JSON document {@code --format json} prints. */
    public static String json(Map<String, Object> result) throws Exception {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n";
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println(USAGE);
            System.exit(2);
        }
        return args[i];
    }
}
