package dev.kompact.sim.replay.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.Sample;
import dev.kompact.sim.replay.SimulationReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    @Test
    void ratiosAreToKompactsMedianOverSeeds() {
        SimulationReport report = report(List.of(
                run("kompact", 1, 10, 100),
                run("kompact", 2, 30, 300),
                run("kompact", 3, 20, 200),
                run("none", 1, 40, 400)));

        List<SummaryTable.Row> rows = SummaryTable.rows(report);

        // kompact's median cost is $20 over seeds 10, 20, 30; none's $40 is 2.0 times that
        assertThat(rows.get(0).cost()).isEqualTo(20);
        assertThat(rows.get(1).costRatio()).isCloseTo(2.0, within(1e-9));
        assertThat(rows.get(1).nodeHourRatio()).isCloseTo(2.0, within(1e-9));
        assertThat(SummaryTable.render(report)).contains("kompact").contains("2.000");
    }

    @Test
    void bandSpansTheLowestAndHighestSeed() {
        SeedBand band =
                SeedBand.of(List.of(run("p", 1, 0, 0), run("p", 2, 0, 0), run("p", 3, 0, 0)), s -> s.nodes(), 10);

        // the runs sample 1, 2 and 3 nodes at t=0
        assertThat(band.median()).containsExactly(2.0);
        assertThat(band.low()).containsExactly(1.0);
        assertThat(band.high()).containsExactly(3.0);
    }

    private static SimulationReport report(List<RunResult> runs) {
        return new SimulationReport(
                SimulationReport.API_VERSION,
                SimulationReport.KIND,
                "t",
                3600,
                "PT10M",
                "LEAST_ALLOCATED",
                false,
                0.5,
                List.of("kompact", "none"),
                List.of(1L, 2L, 3L),
                0,
                runs);
    }

    private static RunResult run(String policy, long seed, double cost, double nodeHours) {
        Sample sample = new Sample(0, (int) seed, 0, 0, 0, 0, 0, 0, 0, 0, -1);
        return new RunResult(
                policy,
                policy,
                "p",
                "s",
                seed,
                3600,
                nodeHours,
                cost,
                cost,
                0,
                1,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                List.of(),
                List.of(),
                0,
                List.of(sample));
    }
}
