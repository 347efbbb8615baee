package io.recolens.demo.drift;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.demo.lineage.AuditCommand;
import io.recolens.demo.lineage.ExplainCommand;
import io.recolens.stats.drift.DriftAnalysis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.TimeUtils;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens drift}: compares per experiment variant the distributions of a window with a baseline
 * (item popularity, ranking scores, feature versions, latency per service) and appends the findings to
 * {@code drift_findings}. Batch: fixed ranges. Incremental: {@code --every D} re-runs over the latest window
 * against a trailing baseline. The catalog is read as {@code run} reads it: defaults, the properties file, then
 * {@code --catalog.*} flags.
 */
public final class DriftCommand {
    static final String USAGE = "usage: bin/recolens drift --baseline-from T --baseline-to T --from T --to T"
            + " | --every D [--window D] [--baseline D] [--lag D]"
            + " [--threshold BITS] [--noise-multiple X] [--min-count N] [--no-write] [--config FILE] [--catalog.<key> value ...]";

    /** Defaults of the incremental mode: the last hour against the day before it, once the rows are final. */
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    static final Duration DEFAULT_BASELINE = Duration.ofHours(24);
    /** lineage_history rows land after their attribution window (default 30 min) and the trace gap: wait for them. */
    static final Duration DEFAULT_LAG = Duration.ofMinutes(35);

    private DriftCommand() {}

    /** The parsed command line; {@code every} null for one batch run over the fixed ranges. */
    record Arguments(DriftScan.Range baseline, DriftScan.Range window, Duration every, Duration windowLength,
            Duration baselineLength, Duration lag, DriftAnalysis.Settings settings, boolean write, String[] configArgs) {

        /** The ranges of a run at {@code now}: the fixed ones, or the latest window and its trailing baseline. */
        DriftScan.Range[] ranges(Instant now) {
            if (every == null) return new DriftScan.Range[] {baseline, window};
            Instant windowTo = now.minus(lag);
            Instant windowFrom = windowTo.minus(windowLength);
            return new DriftScan.Range[] {new DriftScan.Range(windowFrom.minus(baselineLength), windowFrom),
                    new DriftScan.Range(windowFrom, windowTo)};
        }
    }

    public static void main(String[] args) throws Exception {
        Arguments a;
        RecolensCatalog recolens;
        try {
            a = parse(args);
            recolens = ExplainCommand.catalog(a.configArgs());
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            // ConfigException (a bad --config or --catalog.* key) is an IllegalArgumentException too.
            System.err.println("recolens drift: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        do {
            try {
                System.out.print(run(a, recolens, Instant.now()));
            } catch (RuntimeException e) {
                // One failed run (catalog briefly unreachable, tables not created yet) must not end the loop.
                System.err.println("recolens drift: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                if (a.every() == null) System.exit(1);
            }
            if (a.every() != null) Thread.sleep(a.every().toMillis());
        } while (a.every() != null);
        System.exit(0);
    }

    /** One run at {@code now}: scan, compare, write; returns the console table. */
    static String run(Arguments a, RecolensCatalog recolens, Instant now) throws Exception {
        DriftScan.Range[] ranges = a.ranges(now);
        Catalog catalog = recolens.open();
        try {
            List<DriftRun.Result> results = DriftRun.run(catalog, recolens, ranges[0], ranges[1], a.settings(), a.write(), now);
            long findings = results.stream().filter(r -> r.comparison().drifted()).count();
            if (a.write()) {
                System.err.println("recolens drift: " + now + " appended " + findings + " rows to " + recolens.namespace() + ".drift_findings");
            }
            return DriftRun.render(results, ranges[0], ranges[1], a.settings());
        } finally {
            if (catalog instanceof AutoCloseable c) c.close();
        }
    }

    static Arguments parse(String[] args) {
        Instant baselineFrom = null;
        Instant baselineTo = null;
        Instant from = null;
        Instant to = null;
        Duration every = null;
        Duration window = DEFAULT_WINDOW;
        Duration baseline = DEFAULT_BASELINE;
        Duration lag = DEFAULT_LAG;
        double threshold = DriftAnalysis.Settings.DEFAULT_THRESHOLD;
        double noiseMultiple = DriftAnalysis.Settings.DEFAULT_NOISE_MULTIPLE;
        long minCount = DriftAnalysis.Settings.DEFAULT_MIN_COUNT;
        boolean write = true;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--baseline-from" -> baselineFrom = AuditCommand.instant(value(args, ++i));
                case "--baseline-to" -> baselineTo = AuditCommand.instant(value(args, ++i));
                case "--from" -> from = AuditCommand.instant(value(args, ++i));
                case "--to" -> to = AuditCommand.instant(value(args, ++i));
                case "--every" -> every = duration(args, ++i);
                case "--window" -> window = duration(args, ++i);
                case "--baseline" -> baseline = duration(args, ++i);
                case "--lag" -> lag = duration(args, ++i);
                case "--threshold" -> threshold = Double.parseDouble(value(args, ++i));
                case "--noise-multiple" -> noiseMultiple = Double.parseDouble(value(args, ++i));
                case "--min-count" -> minCount = Long.parseLong(value(args, ++i));
                case "--no-write" -> write = false;
                default -> rest.add(args[i]);
            }
        }
        boolean fixed = baselineFrom != null || baselineTo != null || from != null || to != null;
        if (every == null && (baselineFrom == null || baselineTo == null || from == null || to == null)) {
            throw new IllegalArgumentException("give --baseline-from, --baseline-to, --from and --to, or --every");
        }
        if (every != null && fixed) throw new IllegalArgumentException("--every takes --window, --baseline and --lag, not fixed times");
        if (!(threshold > 0 && threshold <= 1)) throw new IllegalArgumentException("--threshold must be in (0, 1] bits");
        if (noiseMultiple < 0 || minCount < 1) throw new IllegalArgumentException("--noise-multiple must be >= 0 and --min-count >= 1");
        DriftScan.Range b = every == null ? new DriftScan.Range(baselineFrom, baselineTo) : null;
        DriftScan.Range w = every == null ? new DriftScan.Range(from, to) : null;
        return new Arguments(b, w, every, window, baseline, lag, new DriftAnalysis.Settings(threshold, noiseMultiple, minCount), write,
                rest.toArray(String[]::new));
    }

    /** Flink's duration syntax, as the job's own duration keys: {@code 30 s}, {@code 10min}, {@code 1h}, {@code 2d}. */
    private static Duration duration(String[] args, int i) {
        Duration d = TimeUtils.parseDuration(value(args, i));
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(args[i - 1] + " must be positive");
        return d;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }
}
