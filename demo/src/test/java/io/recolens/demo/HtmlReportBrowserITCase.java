package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML report in a real headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it): the page
 * renders without console errors, its plots are in the rendered DOM, and a screenshot is saved under
 * {@code target/}. A page with a deliberate console error proves the check can fail.
 */
class HtmlReportBrowserITCase {
    private static final Path OUT = Path.of("target", "html-report");
    private static String chromium;

    @BeforeAll
    static void findChromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                chromium = candidate;
                break;
            }
        }
        assumeTrue(chromium != null, "no chromium on this machine: apt-get install chromium (.ci/run does) to run this test");
    }

    @Test
    void theReportRendersWithoutConsoleErrorsAndShowsItsPlots() throws Exception {
        Files.createDirectories(OUT);
        String html = HtmlReport.render(SampleReports.fiveDays());
        // Self-contained: nothing to fetch (the only URL is the SVG namespace, which is never loaded).
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://", " src=", "<link");
        Path page = OUT.resolve("report.html").toAbsolutePath();
        Files.writeString(page, html, StandardCharsets.UTF_8);

        Browser run = browse(page, "--dump-dom");
        assertThat(run.consoleLines()).as("console messages of the report page").isEmpty();
        assertThat(run.stdout()).contains("<svg class=\"ctr-over-time\"").contains("id=\"srm\"").contains("id=\"guardrails\"");
        assertThat(count(run.stdout(), "class=\"latency-cdf\"")).isEqualTo(3);
        assertThat(count(run.stdout(), "class=\"point\"")).as("a point per variant and day").isEqualTo(15);
        assertThat(count(run.stdout(), "class=\"cdf\"")).as("a curve per service and variant").isEqualTo(9);
        assertThat(run.stdout()).contains("regression");

        Path screenshot = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        browse(page, "--screenshot=" + screenshot, "--window-size=1280,2400");
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).as("a PNG of the rendered page").isGreaterThan(20_000);
    }

    @Test
    void aConsoleErrorWouldBeSeen() throws Exception {
        Files.createDirectories(OUT);
        Path page = OUT.resolve("broken.html").toAbsolutePath();
        Files.writeString(page, "<!DOCTYPE html><html><body><script>console.error('broken-marker');</script></body></html>");
        assertThat(browse(page, "--dump-dom").consoleLines()).anySatisfy(l -> assertThat(l).contains("broken-marker"));
    }

    record Browser(String stdout, List<String> consoleLines) {}

    private static Browser browse(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(OUT.toAbsolutePath(), "profile");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path stdout = OUT.resolve("chromium.out");
        Path stderr = OUT.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        List<String> console = Files.readAllLines(stderr).stream().filter(l -> l.contains(":CONSOLE")).toList();
        return new Browser(Files.readString(stdout), console);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
