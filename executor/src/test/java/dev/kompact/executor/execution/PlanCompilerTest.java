package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.Wave;
import dev.kompact.executor.testing.Plans;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.StepAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCompilerTest {

    static final ClusterSnapshot EMPTY = new ClusterSnapshot("test", List.of(), List.of(), List.of(), List.of());

    private static final RebalancePlan PLAN = Plans.plan(
            List.of(Plans.added("new-1")),
            List.of("a", "b"),
            List.of(
                    Plans.restart("s/p1", "a", "new-1"),
                    Plans.restart("s/p2", "b", "new-1"),
                    new PodMove(PodKey.parse("s/pending"), null, "new-1", Mobility.RESTART)));

    @Test
    void writesOneStepPerNodeAndMoveInThePlansOrder() {
        PlanSpec spec = PlanCompiler.compile(PLAN, EMPTY, "default", true, 2, 2);

        assertThat(spec.waves)
                .extracting(w -> w.action)
                .containsExactlyElementsOf(
                        PLAN.waves().stream().map(w -> w.action()).toList());
        assertThat(nodes(spec.waves.get(1))).containsExactly("a", "b");
        // the pending pod needs no step: the scheduler places it once new-1 exists
        assertThat(spec.waves.get(2).steps).extracting(s -> s.pod).containsExactly("s/p1", "s/p2");
        assertThat(spec.waves.stream().flatMap(w -> w.steps.stream()).map(s -> s.id))
                .containsExactly(
                        "provision-1",
                        "taint-1",
                        "taint-2",
                        "move-1",
                        "move-2",
                        "drain-1",
                        "drain-2",
                        "terminate-1",
                        "terminate-2");
        assertThat(spec.maxDisruptedNodes).isEqualTo(2);
    }

    @Test
    void refusesAPlanThatDisruptsMoreNodesAtOnceThanTheBudgetAllows() {
        assertThatThrownBy(() -> PlanCompiler.compile(PLAN, EMPTY, "default", true, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the plan disrupts 2 node(s) at once but the disruption budget allows 1");
        assertThat(PLAN.waves()).extracting(w -> w.action()).contains(StepAction.Terminate);
    }

    private static List<String> nodes(Wave wave) {
        return wave.steps.stream().map(s -> s.node).toList();
    }
}
