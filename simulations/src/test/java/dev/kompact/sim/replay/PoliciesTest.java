package dev.kompact.sim.replay;

import static dev.kompact.sim.replay.TestTraces.run;
import static dev.kompact.sim.replay.TestTraces.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.sim.baseline.BaselinePolicy;
import dev.kompact.sim.baseline.BaselineResult;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    @Test
    void doingNothingKeepsTheNodeBoughtForThePeak() {
        RunResult result = run(TestTraces.shrinking(), "none", settings(0), 1);

        // one c5.xlarge for 2 h at $0.17/h
        assertThat(result.nodeHours()).isCloseTo(2.0, within(1e-9));
        assertThat(result.totalCost()).isCloseTo(0.34, within(1e-9));
        assertThat(result.evictions()).isZero();
    }

    @Test
    void karpenterReplacesTheEmptiedNodeWithACheaperOne() {
        RunResult result = run(TestTraces.shrinking(), "karpenter", settings(0), 1);

        // at 1,800 s a c5.large is launched, Ready at 1,860 s, when the pod is evicted and the c5.xlarge goes:
        // c5.xlarge 1,860 s + c5.large 5,400 s = 7,260 s; $0.17 * 1,860/3,600 + $0.085 * 5,400/3,600
        assertThat(result.nodeHours()).isCloseTo(7260 / 3600.0, within(1e-9));
        assertThat(result.totalCost()).isCloseTo(0.17 * 1860 / 3600 + 0.085 * 5400 / 3600, within(1e-9));
        assertThat(result.evictions()).isEqualTo(1);
        assertThat(result.nodesTerminated()).isEqualTo(1);
    }

    @Test
    void clusterAutoscalerRemovesTheNodeWhosePodFitsElsewhere() {
        RunResult result = run(TestTraces.stranded(), "ca", settings(0), 1);

        // at 1,200 s the first node holds 300m of its 1,930m (16%, under 50%) and the other node has room for it:
        // the first node billed 0-1,200 s, the second 300-3,600 s; 4,500 s
        assertThat(result.nodeHours()).isCloseTo(4500 / 3600.0, within(1e-9));
        assertThat(result.evictions()).isEqualTo(1);
        assertThat(result.nodesLaunched()).isEqualTo(2);
        assertThat(result.nodesTerminated()).isEqualTo(1);
    }

    @Test
    void clusterAutoscalerScalesUpByLeastWasteAndNeverReplacesANode() {
        RunResult result = run(TestTraces.shrinking(), "ca", settings(0), 1);

        // least waste: c5.large with two 900m pods leaves (6.7% CPU + 34% memory)/2 = 20% idle, c5.xlarge with four
        // 23%; so two c5.large. When three pods leave, the empty one goes; the other keeps its pod, which fits
        // nowhere else, and Cluster Autoscaler does not buy a smaller node for it
        assertThat(result.nodesLaunched()).isEqualTo(2);
        assertThat(result.nodesTerminated()).isEqualTo(1);
        assertThat(result.evictions()).isZero();
    }

    @Test
    void kompactEmptiesTheStrandedNodeThroughTheExecutorMovingThePodLive() {
        RunResult result = run(TestTraces.stranded(), "kompact", settings(1.0), 1);

        assertThat(result.plansExecuted()).isEqualTo(1);
        assertThat(result.plansFailed()).isZero();
        assertThat(result.liveMigrations()).isEqualTo(1);
        assertThat(result.evictions()).isZero();
        assertThat(result.nodesLaunched()).isEqualTo(2);
        assertThat(result.nodesTerminated()).isEqualTo(1);
        // as Cluster Autoscaler's 4,500 s, give or take the executor's few seconds of polls before it terminates
        assertThat(result.nodeHours()).isBetween(4500 / 3600.0, 4560 / 3600.0);
    }

    @Test
    void kompactDoesNotPlanAgainWhenPodsOnlyArrivedOnTheNodesOfAFruitlessPlan() {
        // 3,000m on a c5.xlarge (3,920m), which nothing cheaper holds; then four 100m pods join it, one every 10 min
        Trace trace = TestTraces.trace(
                TestTraces.pod("big", 3000, 0, 7200),
                TestTraces.pod("s1", 100, 900, 7200),
                TestTraces.pod("s2", 100, 1500, 7200),
                TestTraces.pod("s3", 100, 2100, 7200),
                TestTraces.pod("s4", 100, 2700, 7200));

        RunResult result = run(trace, "kompact", settings(0), 1);

        assertThat(result.nodesLaunched()).isEqualTo(1);
        // planned at 10 min only: each later interval saw the same node with the same pods and more
        assertThat(result.plansMade()).isEqualTo(1);
    }

    @Test
    void kompactEvictsWhenThePodDoesNotOptInToLiveMigration() {
        RunResult result = run(TestTraces.stranded(), "kompact", settings(0), 1);

        assertThat(result.evictions()).isEqualTo(1);
        assertThat(result.liveMigrations()).isZero();
        assertThat(result.nodesTerminated()).isEqualTo(1);
    }

    @Test
    void baselineRefusingItsOwnCommandCountsAsAFailedPlanAndChangesNothing() {
        BaselinePolicy refusing = new BaselinePolicy() {
            @Override
            public String name() {
                return "refusing";
            }

            @Override
            public BaselineResult run(ClusterSnapshot snapshot) {
                throw new IllegalStateException("a computed consolidation no longer schedules");
            }
        };
        Trace trace = TestTraces.shrinking();
        Policy policy = new BaselineConsolidation("refusing", refusing, new KarpenterProvisioner(), "test/taint");

        RunResult result =
                new Simulator(trace, settings(0), policy, 1, TestTraces.OFFERINGS, ProgressListener.NONE).run();

        assertThat(result.planOutcomes())
                .isNotEmpty()
                .allMatch(o -> o.startsWith("failed: a computed consolidation no longer schedules"));
        assertThat(result.evictions()).isZero();
        assertThat(result.nodeHours()).isCloseTo(2.0, within(1e-9));
    }
}
