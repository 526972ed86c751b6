package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionOrderTest {

    @Test
    void provisionsFirstThenEmptiesNodesBatchByBatchWithinTheNodeBudget() {
        PodMove p1 = restart("s/p1", "a");
        PodMove p2 = restart("s/p2", "c");
        PodMove p3 = restart("s/p3", "kept");
        PodMove pending = new PodMove(PodKey.parse("s/pending"), null, "new-1", Mobility.RESTART);

        List<Wave> waves =
                ExecutionOrder.of(List.of("new-1"), List.of(List.of(pending, p1, p2, p3)), List.of("c", "b", "a"), 2);

        assertThat(waves)
                .extracting(Wave::action)
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
        assertThat(waves.get(1).nodes()).containsExactly("a", "b");
        // a move off a node the plan keeps, and a pending pod placed, go with the first batch
        assertThat(waves.get(2).moves()).containsExactly(pending, p1, p3);
        assertThat(waves.get(5).nodes()).containsExactly("c");
        assertThat(waves.get(6).moves()).containsExactly(p2);
        assertThat(waves).extracting(Wave::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void keepsTheMoveWavesOrderWithinABatch() {
        PodMove first = restart("s/first", "a");
        PodMove second = restart("s/second", "a");

        List<Wave> waves = ExecutionOrder.of(List.of(), List.of(List.of(first), List.of(second)), List.of("a"), 1);

        assertThat(waves)
                .extracting(Wave::action)
                .containsExactly(
                        StepAction.Taint, StepAction.Move, StepAction.Move, StepAction.Drain, StepAction.Terminate);
        assertThat(waves.get(1).moves()).containsExactly(first);
        assertThat(waves.get(2).moves()).containsExactly(second);
    }

    @Test
    void refusesToRemoveNodesWithoutABudget() {
        assertThatThrownBy(() -> ExecutionOrder.of(List.of(), List.of(), List.of("a"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("disruption budget allows none");
    }

    private static PodMove restart(String pod, String from) {
        return new PodMove(PodKey.parse(pod), from, "new-1", Mobility.RESTART);
    }
}
