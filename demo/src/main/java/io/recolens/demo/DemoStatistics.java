package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.GroundTruth;
import io.recolens.stats.ExperimentAnalysis;
import java.util.Locale;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;

/** The demo's last step: the report of every experiment, as console summary, experiment_results rows and an HTML page. */
final class DemoStatistics {
    private DemoStatistics() {}

    /** Returns the HTML pages written into {@code work}. */
    static List<Path> run(JobSettings settings, GroundTruth truth, Path work, PrintStream out) throws Exception {
        List<String> experiments = truth.variants().stream().map(GroundTruth.VariantTruth::experiment).distinct().sorted().toList();
        RecolensCatalog recolens = RecolensCatalog.fromProperties(settings.catalogProperties);
        Catalog catalog = recolens.open();
        List<Path> pages = new ArrayList<>();
        Instant now = Instant.now();
        try {
            for (String experiment : experiments) {
                ExperimentReport.Data data = ExperimentReport.compute(catalog, recolens, ExperimentReport.Options.of(experiment), now);
                ResultsTable.append(catalog, recolens, data);
                out.println();
                out.print(ReportFormats.text(data, false));
                findings(data, truth, out);
                Path page = work.resolve("report-" + experiment + ".html").toAbsolutePath();
                Files.writeString(page, HtmlReport.render(data), StandardCharsets.UTF_8);
                pages.add(page);
            }
        } finally {
            if (catalog instanceof AutoCloseable c) c.close();
        }
        return pages;
    }

    /** What the report flags (significant after BH, or a guardrail regression or alert), next to what the simulator injected. */
    static void findings(ExperimentReport.Data data, GroundTruth truth, PrintStream out) {
        String experiment = data.options().experiment();
        out.println();
        out.println("Findings of " + experiment + " next to the injected effects (ground truth):");
        boolean any = false;
        for (ExperimentAnalysis.MetricResult m : data.analysis().metrics()) {
            if (!(m.adjustedPValue() < 0.05)) continue;
            any = true;
            boolean alwaysValidExcludesZero = m.alwaysValidCi()[0] > 0 || m.alwaysValidCi()[1] < 0;
            out.printf(Locale.ROOT, "  %-14s %-16s %s %s, p adj %s; always valid %s%s   injected: %s%n", m.variant(), m.metric(),
                    ReportFormats.pct(m.relativeLift()), interval(m.relativeCi()), ReportFormats.p(m.adjustedPValue()), interval(m.alwaysValidCi()),
                    alwaysValidExcludesZero ? "" : " (includes 0)", injected(truth, experiment, m.variant(), "ctr", null));
        }
        for (ExperimentReport.Guardrail g : data.guardrails()) {
            if (!g.regression() && !g.alert()) continue;
            any = true;
            out.printf(Locale.ROOT, "  %-14s %-16s %s: %s -> %s, difference %s [%s, %s]%s   injected: %s%n", g.variant(), g.metric(), g.service(),
                    ReportFormats.f4(g.controlValue()), ReportFormats.f4(g.value()), ReportFormats.f4(g.difference()), ReportFormats.f4(g.low()),
                    ReportFormats.f4(g.high()), g.alert() ? " ALERT (always valid)" : "",
                    injected(truth, experiment, g.variant(), g.metric().startsWith("latency") ? "latency_ms" : g.metric(), g.service()));
        }
        if (!any) out.println("  nothing significant");
    }

    private static String injected(GroundTruth truth, String experiment, String variant, String metric, String service) {
        List<String> found = new ArrayList<>();
        for (GroundTruth.InjectedEffect e : truth.effects()) {
            if (!e.experiment().equals(experiment) || !e.variant().equals(variant)) continue;
            boolean sameMetric = e.metric().equals(metric);
            boolean sameService = service == null || e.service().isEmpty() || e.service().startsWith(service);
            if (sameMetric && sameService) {
                found.add(e.metric() + " " + e.kind() + " " + e.value() + (e.service().isEmpty() ? "" : " @" + e.service()));
            }
        }
        if (!found.isEmpty()) return String.join("; ", found);
        List<String> other = truth.effects().stream().filter(e -> e.experiment().equals(experiment) && e.variant().equals(variant))
                .map(e -> e.metric() + (e.service().isEmpty() ? "" : " @" + e.service())).toList();
        return other.isEmpty() ? "nothing for this variant (a chance difference in this run's data)"
                : "not this one; this variant has " + String.join(", ", other) + " (a consequence of it, or chance)";
    }

    private static String interval(double[] ci) {
        return "[" + ReportFormats.pct(ci[0]) + ", " + ReportFormats.pct(ci[1]) + "]";
    }
}
