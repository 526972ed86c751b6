package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.StepAction;
import dev.kompact.executor.crd.Wave;
import dev.kompact.executor.testing.Plans;
import dev.kompact.optimizer.model.ClusterSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCompilerTest {

    static final ClusterSnapshot EMPTY = new ClusterSnapshot("test", List.of(), List.of(), List.of(), List.of());

    @Test
    void provisionsFirstThenEmptiesNodesBatchByBatchWithinTheNodeBudget() {
        PlanSpec spec = PlanCompiler.compile(
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("a", "b", "c"),
                        List.of(
                                Plans.restart("s/p1", "a", "new-1"),
                                Plans.restart("s/p2", "c", "new-1"),
                                Plans.restart("s/p3", "kept", "new-1"))),
                EMPTY,
                "default",
                true,
                2,
                2);

        assertThat(spec.waves)
                .extracting(w -> w.action)
                .containsExactly(
                        StepAction.Provision,
                        StepAction.Taint,
                        StepAction.Move,
                        StepAction.Drain,
                        StepAction.Terminate,
                        StepAction.Taint,
                        StepAction.Move,
                        StepAction.Drain,
                        StepAction.Terminate);
        assertThat(nodes(spec.waves.get(1))).containsExactly("a", "b");
        // a move off a node the plan keeps goes with the first batch
        assertThat(spec.waves.get(2).steps).extracting(s -> s.pod).containsExactly("s/p1", "s/p3");
        assertThat(nodes(spec.waves.get(5))).containsExactly("c");
        assertThat(spec.waves.get(6).steps).extracting(s -> s.pod).containsExactly("s/p2");
        assertThat(spec.waves.stream()
                        .flatMap(w -> w.steps.stream())
                        .map(s -> s.id)
                        .distinct())
                .hasSize(13);
    }

    private static List<String> nodes(Wave wave) {
        return wave.steps.stream().map(s -> s.node).toList();
    }
}
