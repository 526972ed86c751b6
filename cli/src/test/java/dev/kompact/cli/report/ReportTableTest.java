package dev.kompact.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.plan.ChurnPoint;
import dev.kompact.optimizer.plan.Cost;
import dev.kompact.optimizer.plan.Decision;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.Search;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    private final ReportTable table = new ReportTable();

    @Test
    void showsCostPerHourBeforeAndAfterWithChange() {
        assertThat(table.render(Plans.threeOfFiveRemovedOneAdded()))
                .containsPattern("cost \\$/hour +0\\.9600 +0\\.5376 +\\(-44\\.00%\\)");
    }

    @Test
    void showsSavingsPerMonthAndPercent() {
        // $0.4224/h x 730 h = $308.352
        assertThat(table.render(Plans.threeOfFiveRemovedOneAdded()))
                .containsPattern("cost \\$/month +700\\.80 +392\\.45 +saves \\$308\\.35/month");
    }

    @Test
    void countsNodesBeforeAndAfter() {
        assertThat(table.render(Plans.threeOfFiveRemovedOneAdded())).containsPattern("nodes +5 +3\n");
    }

    @Test
    void showsRequestedSharesAsPercent() {
        String report = table.render(Plans.threeOfFiveRemovedOneAdded());
        assertThat(report)
                .containsPattern("cpu requested +23\\.0% +70\\.0%")
                .containsPattern("memory requested +25\\.0% +62\\.0%");
    }

    @Test
    void countsMovesByKindAndPendingPodsPlaced() {
        assertThat(table.render(Plans.threeOfFiveRemovedOneAdded()))
                .containsPattern("moves +5 \\(2 live, 2 restart, 1 pending pod placed\\)");
    }

    @Test
    void describesAddedNodesAndNamesFewRemovedOnes() {
        String report = table.render(Plans.threeOfFiveRemovedOneAdded());
        assertThat(report)
                .containsPattern("nodes added +1: 1 x m6i\\.2xlarge us-east-1a spot \\$0\\.1536/h")
                .containsPattern("nodes removed +3: node-c, node-d, node-e\n");
    }

    @Test
    void showsLowerBoundAndGapAsPercent() {
        assertThat(table.render(Plans.threeOfFiveRemovedOneAdded()))
                .containsPattern("lower bound \\$/hour +0\\.4800 +\\(plan is 12\\.00% above it; set by cpu\\)");
    }

    @Test
    void namesUnplacedPodsAndSolveTime() {
        String report = table.render(Plans.threeOfFiveRemovedOneAdded());
        assertThat(report).containsPattern("unplaced pods +1: ml/huge-job\n").contains("solved in 12.3 s");
    }

    @Test
    void listsTenUnplacedPodsThenCountsTheRest() {
        String report = table.render(Plans.withUnplacedPods(pods("batch/job-", 13)));
        assertThat(report)
                .contains("unplaced pods           13: batch/job-0,", "batch/job-9,", "and 3 more\n")
                .doesNotContain("batch/job-10");
    }

    @Test
    void saysNothingToChangeWhenThePlanMovesNothing() {
        String report = table.render(Plans.unchanged());
        assertThat(report)
                .contains("nothing to change")
                .doesNotContain("moves")
                .doesNotContain("nodes added")
                .containsPattern("cost \\$/hour +0\\.3840 +0\\.3840 +\\(0\\.00%\\)")
                .contains("saves nothing", "plan meets it", "solved in 850 ms");
    }

    @Test
    void wrapsLongListsToAHundredColumnTerminal() {
        String report = table.render(Plans.withUnplacedPods(pods("payments-reconciliation/ledger-export-worker-", 12)));
        assertThat(report.lines()).allMatch(line -> line.length() <= 100);
        assertThat(report).contains("ledger-export-worker-9", "and 2 more");
    }

    private static List<String> pods(String prefix, int count) {
        List<String> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(prefix + i);
        }
        return pods;
    }

    @Test
    void saysWhyAPlanIsNotProposed() {
        RebalancePlan plan = Plans.threeOfFiveRemovedOneAdded()
                .withDecision(new Decision(false, List.of("saves 0.5% of the bill, less than the minimum 1.00%")));

        String report = new ReportTable().render(plan);

        assertThat(report).contains("not proposed").contains("saves 0.5% of the bill, less than the minimum 1.00%");
    }

    @Test
    void namesTheRulesARejectedPlanBreaks() {
        RebalancePlan plan = Plans.threeOfFiveRemovedOneAdded()
                .withDecision(new Decision(
                        false,
                        List.of("the independent check rejects the plan"),
                        List.of("pod default/web-1 is pinned to node-a but the plan moves it")));

        String report = new ReportTable().render(plan);

        assertThat(report).contains("rejected").contains("pod default/web-1 is pinned to node-a but the plan moves it");
    }

    @Test
    void showsEachSmallerPlanOfTheChurnCurveAndWhyTheSearchStopped() {
        RebalancePlan plan = Plans.threeOfFiveRemovedOneAdded()
                .withSearch(
                        new Search("time limit", 4_000, 30_000),
                        List.of(
                                new ChurnPoint("at most 100 restarts", 98, 98, Cost.ofMicros(1_000_000), 24.18, 0.518),
                                new ChurnPoint("cheapest", 342, 342, Cost.ofMicros(500_000), 46.66, 1.0)));

        String report = table.render(plan);

        assertThat(report)
                .contains("at most 100 restarts")
                .contains("98 pods moved: saves 24.18% of the bill, 51.80% of the full saving")
                .contains("stopped: time limit")
                .doesNotContain("cheapest");
    }
}
