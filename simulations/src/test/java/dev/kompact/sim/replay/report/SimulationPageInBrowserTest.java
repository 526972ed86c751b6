package dev.kompact.sim.replay.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.optimizer.testing.HeadlessChromium;
import dev.kompact.sim.replay.Policies;
import dev.kompact.sim.replay.ProgressListener;
import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.SimSettings;
import dev.kompact.sim.replay.SimulationReport;
import dev.kompact.sim.replay.Simulator;
import dev.kompact.sim.replay.Trace;
import dev.kompact.sim.replay.TraceOfferings;
import dev.kompact.sim.replay.TracePod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens simulation.html in Debian's Chromium, headless and offline, and reads back the DOM the page's script built:
 * every chart drawn as SVG with its series, and no script error. CI installs Chromium (.ci/install-browser.sh); a
 * machine without it skips this test.
 */
class SimulationPageInBrowserTest {

    private static final Pattern BODY = Pattern.compile("<body([^>]*)>");
    private static final Pattern CHARTS = Pattern.compile("data-charts=\"(\\d+)\"");

    @TempDir
    Path dir;

    @Test
    void pageDrawsEveryChartWithoutScriptErrors() throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.onPath(dir);
        assumeTrue(chromium.isPresent(), "no chromium on PATH: .ci/install-browser.sh installs it");
        ReportFiles.write(smallReport(), dir);

        String dom =
                chromium.get().dumpDom(dir.resolve(ReportFiles.HTML).toUri().toString());

        Matcher body = BODY.matcher(dom);
        assertThat(body.find()).as("chromium printed the page's DOM").isTrue();
        assertThat(body.group(1)).doesNotContain("data-errors");
        Matcher charts = CHARTS.matcher(body.group(1));
        assertThat(charts.find())
                .as("the script finished and counted its charts")
                .isTrue();
        assertThat(Integer.parseInt(charts.group(1))).isEqualTo(5);
        assertThat(dom).contains("<polyline").contains("karpenter lower bound");
    }

    /** Two policies, two seeds, over pods coming and going for two hours. */
    private static SimulationReport smallReport() {
        List<TracePod> pods = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pods.add(new TracePod(
                    "p" + i, "p" + i, 700, 1L << 30, i % 4 == 0 ? 1 : 0, 300L * i, 3600 + 300L * i, false));
        }
        Trace trace = new Trace("small", pods, List.of());
        TraceOfferings offerings = new TraceOfferings();
        SimSettings settings = SimSettings.defaults(Duration.ofMinutes(10));
        List<RunResult> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            for (String policy : List.of("karpenter", "none")) {
                runs.add(new Simulator(
                                trace,
                                settings,
                                Policies.create(policy, trace, offerings, seed),
                                seed,
                                offerings,
                                ProgressListener.NONE)
                        .run());
            }
        }
        return new SimulationReport(
                SimulationReport.API_VERSION,
                SimulationReport.KIND,
                "small",
                trace.endSeconds(),
                "PT10M",
                "LEAST_ALLOCATED",
                false,
                0.5,
                List.of("karpenter", "none"),
                List.of(1L, 2L),
                0,
                runs);
    }
}
