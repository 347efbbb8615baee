package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.RecolensOptions;
import io.recolens.stats.Msprt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens report --experiment E [--from T1 --to T2] [--control V] [--format text|markdown|json|html]
 * [--out FILE] [--split a=1,b=1] [--tau 0.1] [--margin 0.05] [--no-write] --config FILE [--catalog.key value ...]}:
 * the experiment statistics over the Iceberg tables (catalog read as {@code run} reads it), written to
 * {@code experiment_results} and printed (or written to FILE) in the chosen format.
 */
public final class ReportCommand {
    private static final String USAGE = "usage: bin/recolens report --experiment E [--from ISO] [--to ISO] [--control V]"
            + " [--format text|markdown|json|html] [--out FILE] [--split v=w,...] [--tau T] [--margin M] [--no-write]"
            + " [--every 10m] [--metrics-file FILE] [--config FILE] [--catalog.<key> value ...]";

    private ReportCommand() {}

    /** The parsed command line: report options plus the arguments left for the job's configuration reader. */
    record Arguments(ExperimentReport.Options options, String format, Path out, boolean write, Map<String, String> catalog,
            java.time.Duration every, Path metricsFile) {}

    public static void main(String[] args) throws Exception {
        Arguments a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            // ConfigException (a bad --config or --catalog.* key) is an IllegalArgumentException too.
            System.err.println("recolens report: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        do {
            String rendered;
            try {
                rendered = run(a, Instant.now());
            } catch (Exception e) {
                // One failed run (no rows yet, catalog briefly unreachable) must not end a live loop.
                System.err.println("recolens report: " + (e instanceof IllegalArgumentException ? "" : e.getClass().getSimpleName() + ": ")
                        + e.getMessage());
                if (a.every() == null) {
                    System.exit(1);
                }
                rendered = "";
            }
            if (a.out() == null) {
                System.out.print(rendered);
            } else {
                System.out.println("recolens report: " + Instant.now() + " wrote " + a.out().toAbsolutePath());
            }
            if (a.every() != null) {
                // Live results: each run continues the always-valid sequences of the earlier ones (LiveResults).
                Thread.sleep(a.every().toMillis());
            }
        } while (a.every() != null);
        System.exit(0);
    }

    /** Computes, writes experiment_results (unless --no-write) and the --out file; returns the rendered report. */
    static String run(Arguments a, Instant now) throws Exception {
        RecolensCatalog recolens = RecolensCatalog.fromProperties(a.catalog());
        Catalog catalog = recolens.open();
        try {
            ExperimentReport.Data data = LiveResults.carryOver(catalog, recolens,
                    ExperimentReport.compute(catalog, recolens, a.options(), now));
            if (a.metricsFile() != null) {
                LiveResults.writeMetrics(data, a.metricsFile());
            }
            if (a.write()) {
                int rows = ResultsTable.append(catalog, recolens, data);
                System.err.println("recolens report: appended " + rows + " rows to " + recolens.namespace() + ".experiment_results");
            }
            String rendered = ReportFormats.render(data, a.format());
            if (a.out() != null) {
                Path parent = a.out().toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.writeString(a.out(), rendered, StandardCharsets.UTF_8);
            }
            return rendered;
        } finally {
            if (catalog instanceof AutoCloseable c) c.close();
        }
    }

    static Arguments parse(String[] args) {
        String experiment = null;
        Instant from = null;
        Instant to = null;
        String control = null;
        String format = "text";
        Path out = null;
        boolean write = true;
        Map<String, Double> split = null;
        double tau = Msprt.DEFAULT_TAU;
        double margin = 0.05;
        java.time.Duration every = null;
        Path metricsFile = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--experiment" -> experiment = value(args, ++i);
                case "--from" -> from = Instant.parse(value(args, ++i));
                case "--to" -> to = Instant.parse(value(args, ++i));
                case "--control" -> control = value(args, ++i);
                case "--format" -> format = value(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i));
                case "--no-write" -> write = false;
                case "--every" -> every = duration(value(args, ++i));
                case "--metrics-file" -> metricsFile = Path.of(value(args, ++i));
                case "--tau" -> tau = Double.parseDouble(value(args, ++i));
                case "--margin" -> margin = Double.parseDouble(value(args, ++i));
                case "--split" -> {
                    split = new LinkedHashMap<>();
                    for (String part : value(args, ++i).split(",")) {
                        String[] kv = part.split("=", 2);
                        if (kv.length != 2) throw new IllegalArgumentException("--split wants variant=weight,...; got '" + part + "'");
                        split.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
                    }
                }
                default -> rest.add(args[i]);
            }
        }
        if (experiment == null) throw new IllegalArgumentException("--experiment is required");
        if (!List.of("text", "markdown", "json", "html").contains(format)) {
            throw new IllegalArgumentException("--format must be text, markdown, json or html, not '" + format + "'");
        }
        if (!(tau > 0)) throw new IllegalArgumentException("--tau must be positive");
        // --config FILE and --catalog.* flags: the same reader and precedence as `run` (defaults < file < flags).
        Configuration conf = ConfigReader.fromArgs(rest.toArray(String[]::new));
        Map<String, String> catalog = new HashMap<>();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(RecolensOptions.CATALOG_PREFIX)) catalog.put(k.substring(RecolensOptions.CATALOG_PREFIX.length()), v);
        });
        return new Arguments(new ExperimentReport.Options(experiment, from, to, control, split, tau, margin, 14), format, out, write, catalog,
                every, metricsFile);
    }

    /** {@code 30s}, {@code 10m}, {@code 1h}. */
    static java.time.Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(s|m|min|h)").matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("--every wants a duration like 30s, 10m or 1h, not '" + text + "'");
        long n = Long.parseLong(m.group(1));
        java.time.Duration d = switch (m.group(2)) {
            case "s" -> java.time.Duration.ofSeconds(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofMinutes(n);
        };
        if (d.isZero()) throw new IllegalArgumentException("--every must be positive");
        return d;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }
}
