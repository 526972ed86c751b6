package dev.kompact.sim.baseline;

import static dev.kompact.sim.baseline.TestClusters.bare;
import static dev.kompact.sim.baseline.TestClusters.cluster;
import static dev.kompact.sim.baseline.TestClusters.offering;
import static dev.kompact.sim.baseline.TestClusters.onDemand;
import static dev.kompact.sim.baseline.TestClusters.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstFitDecreasingTest {

    private final FirstFitDecreasing ffd = new FirstFitDecreasing();

    @Test
    void packsPodsLargestFirstOntoTheFewestNodesOfTheCheapestOfferingPerCapacity() {
        // 3000m + 1000m fill one 4000m node, 2000m + 2000m the next; the 8000m offering costs more per core
        ClusterSnapshot snapshot = cluster(
                List.of(
                        onDemand("a", 0.2, 4000, 16),
                        onDemand("b", 0.2, 4000, 16),
                        onDemand("c", 0.2, 4000, 16),
                        onDemand("d", 0.2, 4000, 16)),
                List.of(
                        pod("p1", "a", 1000, 1),
                        pod("p2", "b", 2000, 1),
                        pod("p3", "c", 3000, 1),
                        pod("p4", "d", 2000, 1)),
                List.of(
                        offering("four", CapacityType.SPOT, 0.1, 4000, 16),
                        offering("eight", CapacityType.SPOT, 0.3, 8000, 32)));

        BaselineResult result = ffd.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(result.nodesAdded()).hasSize(2);
        assertThat(result.costAfterMicros()).isEqualTo(Money.micros(0.2));
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void keepsPinnedPodsOnTheirNodesAndFillsThoseNodesFirst() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("a", 0.2, 4000, 16), onDemand("b", 0.2, 4000, 16)),
                List.of(bare("debug", "a", 500, 1), pod("api", "b", 1000, 1)),
                List.of(offering("four", CapacityType.SPOT, 0.05, 4000, 16)));

        BaselineResult result = ffd.run(snapshot);

        assertThat(result.after().nodeOf(snapshot.pods().get(0))).isEqualTo("a");
        assertThat(result.after().nodeOf(snapshot.pods().get(1))).isEqualTo("a");
        assertThat(result.nodesRemoved()).containsExactly("b");
        assertThat(result.nodesAdded()).isEmpty();
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }
}
