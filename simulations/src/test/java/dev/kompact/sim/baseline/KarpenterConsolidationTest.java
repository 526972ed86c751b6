package dev.kompact.sim.baseline;

import static dev.kompact.sim.baseline.TestClusters.bare;
import static dev.kompact.sim.baseline.TestClusters.cluster;
import static dev.kompact.sim.baseline.TestClusters.labelled;
import static dev.kompact.sim.baseline.TestClusters.node;
import static dev.kompact.sim.baseline.TestClusters.offering;
import static dev.kompact.sim.baseline.TestClusters.onDemand;
import static dev.kompact.sim.baseline.TestClusters.onePerNode;
import static dev.kompact.sim.baseline.TestClusters.pod;
import static dev.kompact.sim.baseline.TestClusters.selecting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class KarpenterConsolidationTest {

    private final KarpenterConsolidation karpenter = new KarpenterConsolidation();

    @Test
    void deletesAnEmptyNode() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("a", 0.2, 4000, 16), onDemand("empty", 0.2, 4000, 16)),
                List.of(pod("web", "a", 3000, 1)),
                List.of());

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactly("empty");
        assertThat(result.moves()).isZero();
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void replacesTwoHalfEmptyExpensiveNodesWithOneCheaperNode() {
        // 2500m on each 4000m node: neither fits beside the other; an 8000m node at $0.30 holds both
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("a", 0.4, 4000, 16), onDemand("b", 0.4, 4000, 16)),
                List.of(pod("web", "a", 2500, 4), pod("api", "b", 2500, 4)),
                List.of(offering("large", CapacityType.ON_DEMAND, 0.3, 8000, 32)));

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactlyInAnyOrder("a", "b");
        assertThat(result.nodesAdded()).hasSize(1);
        assertThat(result.costAfterMicros()).isEqualTo(Money.micros(0.3));
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void deletesANodeWhosePodsFitOnAnother() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("a", 0.2, 4000, 16), onDemand("b", 0.2, 4000, 16)),
                List.of(pod("web", "a", 1000, 2), pod("api", "b", 1000, 2)),
                List.of());

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).hasSize(1);
        assertThat(result.moves()).isEqualTo(1);
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void executesTheConsolidationItComputedWhenPodsTieInSize() {
        // "ssd" and "web" tie on CPU and memory, and "spare" has room for one of them. Only "ssd" then "web" reaches a
        // command ("ssd" onto "spare", "web" onto a new small node); trying it took the pods off "expensive" and put
        // them back, so the pods' order must not come from where the state kept them.
        ClusterSnapshot snapshot = cluster(
                List.of(
                        onDemand("expensive", 1.0, 4000, 16),
                        labelled(onDemand("spare", 0.3, 2000, 16), "disk", "ssd")),
                List.of(
                        selecting("ssd", "expensive", 1000, 1, "disk", "ssd"),
                        pod("web", "expensive", 1000, 1),
                        bare("kept", "spare", 1000, 1)),
                List.of(offering("small", CapacityType.ON_DEMAND, 0.1, 2000, 4)));

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactly("expensive");
        assertThat(result.nodesAdded()).hasSize(1);
        assertThat(result.costAfterMicros()).isEqualTo(Money.micros(0.4));
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void neverMovesAPinnedPod() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("a", 0.2, 4000, 16), onDemand("b", 0.2, 4000, 16)),
                List.of(bare("debug", "a", 500, 1), pod("api", "b", 500, 1)),
                List.of(offering("small", CapacityType.ON_DEMAND, 0.05, 2000, 4)));

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.after().nodeOf(snapshot.pods().get(0))).isEqualTo("a");
        assertThat(result.nodesRemoved()).containsExactly("b");
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void keepsReplicasThatRefuseToShareANodeApart() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("a", 0.2, 4000, 16), onDemand("b", 0.2, 4000, 16)),
                List.of(onePerNode("cache-0", "cache", "a", 500, 1), onePerNode("cache-1", "cache", "b", 500, 1)),
                List.of());

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).isEmpty();
    }

    @Test
    void doesNotReplaceSpotNodesBecauseSpotToSpotIsOffByDefault() {
        Node spot = node("spot", CapacityType.SPOT, 0.2, 4000, 16);
        ClusterSnapshot snapshot = cluster(
                List.of(spot),
                List.of(pod("web", "spot", 500, 1)),
                List.of(offering("tiny", CapacityType.SPOT, 0.01, 1000, 2)));

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).isEmpty();
        assertThat(result.costAfterMicros()).isEqualTo(result.costBeforeMicros());
    }

    @Test
    void replacesAnOnDemandNodeWithTheCheapestOfferingThatHoldsItsPods() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("big", 0.8, 16000, 64)),
                List.of(pod("web", "big", 500, 1)),
                List.of(
                        offering("too-small", CapacityType.SPOT, 0.01, 250, 1),
                        offering("small", CapacityType.SPOT, 0.05, 1000, 2),
                        offering("medium", CapacityType.ON_DEMAND, 0.1, 2000, 4)));

        BaselineResult result = karpenter.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactly("big");
        assertThat(result.costAfterMicros()).isEqualTo(Money.micros(0.05));
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }
}
