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
import dev.kompact.optimizer.testing.HeadlessChromium;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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

    private static String dumpDom(String address) throws IOException, InterruptedException {
        Optional<HeadlessChromium> chromium = HeadlessChromium.onPath(dir);
        assumeTrue(chromium.isPresent(), "no chromium on PATH: .ci/install-browser.sh installs it");
        return chromium.get().dumpDom(address);
    }
}
