package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.JobSettings;
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
    static List<Path> run(JobSettings settings, List<String> experiments, Path work, PrintStream out) throws Exception {
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
                Path page = work.resolve("report-" + experiment + ".html").toAbsolutePath();
                Files.writeString(page, HtmlReport.render(data), StandardCharsets.UTF_8);
                pages.add(page);
            }
        } finally {
            if (catalog instanceof AutoCloseable c) c.close();
        }
        return pages;
    }
}
