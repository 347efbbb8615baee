package io.recolens.demo.lineage;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.ConfigException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens audit export --experiment E --from T1 --to T2 --out DIR [--config FILE] [--catalog.key value ...]}:
 * writes the audit bundle of {@link AuditExport}; T1/T2 are ISO-8601 instants or epoch milliseconds, [T1, T2).
 */
public final class AuditCommand {
    private static final String USAGE = "usage: bin/recolens audit export --experiment E --from T1 --to T2 --out DIR"
            + " [--config FILE] [--catalog.<key> value ...]";

    private AuditCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("export")) usage();
        String experiment = null;
        Instant from = null;
        Instant to = null;
        Path out = null;
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--experiment" -> experiment = next(args, ++i);
                case "--from" -> from = instant(next(args, ++i));
                case "--to" -> to = instant(next(args, ++i));
                case "--out" -> out = Path.of(next(args, ++i));
                default -> rest.add(args[i]);
            }
        }
        if (experiment == null || from == null || to == null || out == null || !from.isBefore(to)) usage();
        RecolensCatalog recolens;
        try {
            recolens = ExplainCommand.catalog(rest.toArray(String[]::new));
        } catch (ConfigException e) {
            System.err.println("recolens: " + e.getMessage());
            System.exit(2);
            return;
        }
        Catalog opened = recolens.open();
        try {
            Map<String, Object> manifest = new AuditExport(opened, recolens).write(experiment, from, to, out);
            System.out.println("recolens: audit bundle of " + experiment + " [" + from + ", " + to + ") in " + out.toAbsolutePath()
                    + ": " + manifest.get("rows"));
        } finally {
            if (opened instanceof AutoCloseable c) c.close();
        }
    }

    public static Instant instant(String value) {
        return value.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
    }

    private static String next(String[] args, int i) {
        if (i >= args.length) usage();
        return args[i];
    }

    private static void usage() {
        System.err.println(USAGE);
        System.exit(2);
    }
}
