package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import dev.kompact.optimizer.testing.Cluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChurnCurveTest {

    @Test
    void curveTakesPartOfTheSavingWithinEachBudgetAndEndsAtTheCheapestPlan() {
        // ten 2-core nodes with one 500m pod each: three nodes hold them all, so the cheapest plan moves 7 pods
        Cluster cluster = new Cluster();
        for (int i = 0; i < 10; i++) {
            cluster.node("n" + i, "us-east-1a").pod(Cluster.pod("p" + i, "n" + i, "app-" + i, 500));
        }
        ClusterSnapshot snapshot = cluster.snapshot();

        RebalancePlan plan =
                new Planner(SolverSettings.of(Duration.ofSeconds(5)), SolverProgress.SILENT).plan(snapshot);

        List<ChurnPoint> curve = plan.churnCurve();
        ChurnPoint cheapest = curve.get(curve.size() - 1);
        assertThat(cheapest.budget()).isEqualTo("cheapest");
        assertThat(cheapest.shareOfSaving()).isEqualTo(1.0);
        assertThat(cheapest.costAfter()).isEqualTo(plan.costAfter());
        // 10% and 25% of 7 moves allow one move (one node emptied), 50% three
        assertThat(curve)
                .filteredOn(p -> p.budget().equals("10% of the moves"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.disruptions()).isEqualTo(1);
                    assertThat(p.shareOfSaving()).isGreaterThan(0).isLessThan(1);
                });
        assertThat(curve)
                .filteredOn(p -> p.budget().equals("50% of the moves"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.disruptions()).isLessThanOrEqualTo(cheapest.disruptions() / 2);
                    assertThat(p.costAfter().microsPerHour())
                            .isLessThan(plan.costBefore().microsPerHour())
                            .isGreaterThan(cheapest.costAfter().microsPerHour());
                });
    }

    @Test
    void planThatMovesNothingHasOnlyItsOwnPoint() {
        ClusterSnapshot snapshot = new Cluster()
                .node("n0", "us-east-1a")
                .pod(Cluster.pod("p0", "n0", "app", 500))
                .snapshot();

        RebalancePlan plan =
                new Planner(SolverSettings.of(Duration.ofSeconds(2)), SolverProgress.SILENT).plan(snapshot);

        assertThat(plan.churnCurve()).singleElement().satisfies(p -> {
            assertThat(p.budget()).isEqualTo("cheapest");
            assertThat(p.disruptions()).isZero();
        });
    }
}
