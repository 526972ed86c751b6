package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingPodSeederTest {

    @Test
    void packsPendingPodsOntoTheNodeCheapestForTheirDemand() {
        // 8 × 900m fit on the big node (8 cores, $0.40/h) or on four small ones (2 cores each, $0.60/h together)
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            nodes.add(Fixtures.node("small-" + i, 2000, 8192, 150_000, Map.of(), List.of(), false));
        }
        nodes.add(Fixtures.node("big", 8000, 32768, 400_000, Map.of(), List.of(), false));

        ClusterPlacement problem = seeded(nodes, pending(8, 900, 2048));

        assertThat(problem.getPlacements())
                .allSatisfy(p -> assertThat(p.getNode().getName()).isEqualTo("big"));
    }

    @Test
    void opensTheNextNodeOnlyWhenNoOpenNodeAdmitsThePod() {
        // 3 × 1200m: two fit on a 2.5-core node, the third opens a second one
        List<Node> nodes = List.of(
                Fixtures.node("a", 2500, 8192, 100_000, Map.of(), List.of(), false),
                Fixtures.node("b", 2500, 8192, 100_000, Map.of(), List.of(), false),
                Fixtures.node("c", 2500, 8192, 100_000, Map.of(), List.of(), false));

        ClusterPlacement problem = seeded(nodes, pending(3, 1200, 1024));

        assertThat(problem.getPlacements().stream()
                        .map(p -> p.getNode().getName())
                        .distinct())
                .hasSize(2);
    }

    @Test
    void fillsANodeAlreadyPaidForBeforeOpeningACheaperOne() {
        Node running = Fixtures.node("running", 4000, 16384, 300_000, Map.of(), List.of(), false);
        Node cheap = Fixtures.node("cheap", 4000, 16384, 100_000, Map.of(), List.of(), false);
        List<Pod> pods = new ArrayList<>(pending(1, 1000, 1024));
        pods.add(Fixtures.pod("already-there", 1000, 1024).withNodeName("running"));

        ClusterPlacement problem = seeded(List.of(running, cheap), pods);

        assertThat(problem.getPlacements())
                .filteredOn(p -> p.getCurrentNode() == null)
                .singleElement()
                .satisfies(p -> assertThat(p.getNode().getName()).isEqualTo("running"));
    }

    @Test
    void leavesAPodNoNodeAdmitsPending() {
        List<Node> nodes = List.of(Fixtures.node("a", 2000, 8192, 100_000, Map.of(), List.of(), false));

        ClusterPlacement problem = seeded(nodes, pending(1, 3000, 1024));

        assertThat(problem.getPlacements())
                .singleElement()
                .satisfies(p -> assertThat(p.getNode()).isNull());
    }

    private static ClusterPlacement seeded(List<Node> nodes, List<Pod> pods) {
        ClusterSnapshot snapshot = new ClusterSnapshot("test", nodes, pods, List.of(), List.of());
        ClusterPlacement problem = new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot);
        new PendingPodSeeder(snapshot).seed(problem);
        return problem;
    }

    private static List<Pod> pending(int count, long cpuMillis, long memoryMib) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pods.add(Fixtures.pod("pod-" + i, cpuMillis, memoryMib));
        }
        return pods;
    }
}
