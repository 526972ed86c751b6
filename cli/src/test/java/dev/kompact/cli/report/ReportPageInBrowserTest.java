package dev.kompact.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html of the bundled sample's plan in Debian's Chromium, headless and offline, and reads back the DOM
 * after its scripts ran: no script error, every section present, and the moves filter working. CI installs Chromium
 * (.ci/install-browser.sh); a machine without it skips this test.
 */
class ReportPageInBrowserTest {

    private static final Pattern SHOWN = Pattern.compile("<section id=\"moves\" data-shown=\"(\\d+)\"");

    @TempDir
    static Path dir;

    private static Path page;

    @BeforeAll
    static void writeTheSampleReport() throws Exception {
        ClusterSnapshot snapshot;
        try (InputStream in = ReportPageInBrowserTest.class.getResourceAsStream(
                "/dev/kompact/optimizer/sample/sample-cluster.json")) {
            snapshot = new SnapshotReader(InstanceCatalog.bundled()).read(in, "sample");
        }
        RebalancePlan plan =
                new Planner(SolverSettings.of(Duration.ofSeconds(5)), SolverProgress.SILENT).plan(snapshot);
        page = dir.resolve("report.html");
        new HtmlReport().write(plan, snapshot, page);
    }

    @Test
    void rendersEverySectionWithoutScriptErrors() throws Exception {
        String dom = dumpDom(page.toUri().toString());

        assertThat(dom).containsPattern("<body[^>]*data-ready=\"true\"").doesNotContain("data-errors");
        assertThat(dom)
                .contains(
                        "<section id=\"risks\">",
                        "<section id=\"steps\">",
                        "<section id=\"cost\">",
                        "<section id=\"moves\"",
                        "<h2>Nodes removed",
                        "<svg class=\"bill\"",
                        "StatefulSet pods move",
                        "Gate:");
    }

    @Test
    void filterShowsOnlyTheWorkloadsThatMatchOpened() throws Exception {
        String all = dumpDom(page.toUri().toString());
        String checkout = dumpDom(page.toUri() + "#filter=checkout");

        int workloads = shown(all);
        int matching = shown(checkout);
        assertThat(matching).isPositive().isLessThan(workloads);
        assertThat(checkout).contains("<details class=\"workload\" open=\"\">");
    }

    private static int shown(String dom) {
        Matcher shown = SHOWN.matcher(dom);
        assertThat(shown.find())
                .as("the filter ran and counted the workloads it shows")
                .isTrue();
        return Integer.parseInt(shown.group(1));
    }

    private String dumpDom(String address) throws IOException, InterruptedException {
        Optional<Path> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no chromium on PATH: .ci/install-browser.sh installs it");
        List<String> command = new ArrayList<>(List.of(
                chromium.get().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
                "--dump-dom",
                address));
        Process process = new ProcessBuilder(command)
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium exits").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Optional<Path> chromium() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
