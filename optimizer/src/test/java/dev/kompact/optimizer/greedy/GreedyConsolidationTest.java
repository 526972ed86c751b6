package dev.kompact.optimizer.greedy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.testing.Fixtures;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GreedyConsolidationTest {

    @Test
    void stoppedBetweenTrialsKeepsTheCommandsItExecuted() {
        ClusterSnapshot snapshot = fourNodesOnePodEach();
        AtomicInteger trials = new AtomicInteger();

        // asked before each pass and each trial: the first pass deletes "empty", the second stops before its first
        // trial
        GreedyConsolidation.Consolidated stopped =
                new GreedyConsolidation().run(snapshot, () -> trials.incrementAndGet() > 2);
        GreedyConsolidation.Consolidated whole = new GreedyConsolidation().run(snapshot, () -> false);

        assertThat(stopped.after().nodes()).extracting(Node::name).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(stopped.finished()).isFalse();
        assertThat(whole.after().nodes()).hasSize(1);
        assertThat(whole.finished()).isTrue();
    }

    /** Three nodes each holding a pod of a fifth of a node, and an empty fourth: one node holds them all. */
    private static ClusterSnapshot fourNodesOnePodEach() {
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "empty")) {
            nodes.add(Fixtures.node(name, 4000, 16_384, 192_000, Map.of(), List.of(), false));
            if (!name.equals("empty")) {
                pods.add(PodBuilder.pod("pod-" + name)
                        .owner("ReplicaSet", "app")
                        .on(name)
                        .requests(Fixtures.resources(800, 2048))
                        .build());
            }
        }
        return new ClusterSnapshot("four", nodes, pods, List.of(), List.of());
    }
}
