package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.solver.Fixtures.candidate;
import static dev.kompact.optimizer.solver.Fixtures.node;
import static dev.kompact.optimizer.solver.Fixtures.placement;
import static dev.kompact.optimizer.solver.Fixtures.pod;
import static dev.kompact.optimizer.solver.Fixtures.resources;
import static dev.kompact.optimizer.solver.Fixtures.slot;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.SelectorRequirement;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementConstraintProviderTest {

    private final ConstraintVerifier<PlacementConstraintProvider, ClusterPlacement> verifier = ConstraintVerifier.build(
            new PlacementConstraintProvider(), ClusterPlacement.class, PodPlacement.class);

    private final NodeSlot small = slot("small", 2000, 4096, 96_000);
    private final NodeSlot other = slot("other", 2000, 4096, 96_000);

    @Test
    void penalizesCpuAndMemoryOverAllocatable() {
        // cpu 1500m + 1000m on 2000m: 500 over; memory 3072Mi + 2048Mi on 4096Mi: 1024 MiB over
        verifier.verifyThat(PlacementConstraintProvider::nodeResourceCapacity)
                .given(placement(pod("a", 1500, 3072), small, small), placement(pod("b", 1000, 2048), other, small))
                .penalizesBy(500 + 1024);
    }

    @Test
    void penalizesExtendedResourceTheNodeLacks() {
        // one nvidia.com/gpu requested on a node with none: 1 over
        Pod gpuPod = pod("gpu", resources(100, 100).with("nvidia.com/gpu", 1), Map.of(), List.of(), List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeResourceCapacity)
                .given(placement(gpuPod, null, small))
                .penalizesBy(1);
    }

    @Test
    void acceptsPodsThatFit() {
        // 1000m + 1000m on 2000m; 2048Mi + 2048Mi on 4096Mi: exactly full
        verifier.verifyThat(PlacementConstraintProvider::nodeResourceCapacity)
                .given(placement(pod("a", 1000, 2048), small, small), placement(pod("b", 1000, 2048), other, small))
                .penalizesBy(0);
    }

    @Test
    void penalizesArrivalOnNodeWithoutSelectedLabel() {
        Pod selective = pod("db", resources(100, 100), Map.of("pool", "memory"), List.of(), List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeSelectorAndAffinity)
                .given(placement(selective, other, small))
                .penalizesBy(1);
    }

    @Test
    void acceptsArrivalMatchingRequiredAffinity() {
        NodeSlot spot = slot(node("spot", 2000, 4096, 30_000, Map.of("karpenter.sh/capacity-type", "spot"),
                List.of(), false));
        Pod onDemandOnly = pod("api", resources(100, 100), Map.of(), List.of(new NodeSelectorTerm(List.of(
                new SelectorRequirement("karpenter.sh/capacity-type", SelectorOperator.NotIn, List.of("spot"))))),
                List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeSelectorAndAffinity)
                .given(placement(onDemandOnly, spot, small), placement(onDemandOnly, small, spot))
                .penalizesBy(1);
    }

    @Test
    void letsPodStayWhereItsAffinityNoLongerHolds() {
        // IgnoredDuringExecution: a running pod is not evicted by a label change
        Pod selective = pod("db", resources(100, 100), Map.of("pool", "memory"), List.of(), List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeSelectorAndAffinity)
                .given(placement(selective, small, small))
                .penalizesBy(0);
    }

    @Test
    void penalizesArrivalOnUntoleratedTaint() {
        NodeSlot tainted = slot(node("batch", 2000, 4096, 96_000, Map.of(),
                List.of(new Taint("dedicated", "batch", TaintEffect.NoSchedule)), false));
        Pod tolerating = pod("job", resources(100, 100), Map.of(), List.of(),
                List.of(new Toleration("dedicated", Toleration.Operator.Equal, "batch", TaintEffect.NoSchedule)));
        verifier.verifyThat(PlacementConstraintProvider::taintsTolerated)
                .given(placement(pod("web", 100, 100), small, tainted), placement(tolerating, small, tainted))
                .penalizesBy(1);
    }

    @Test
    void ignoresPreferNoScheduleTaints() {
        NodeSlot preferNot = slot(node("soft", 2000, 4096, 96_000, Map.of(),
                List.of(new Taint("dedicated", "batch", TaintEffect.PreferNoSchedule)), false));
        verifier.verifyThat(PlacementConstraintProvider::taintsTolerated)
                .given(placement(pod("web", 100, 100), small, preferNot))
                .penalizesBy(0);
    }

    @Test
    void penalizesArrivalOnUnschedulableNodeButNotStaying() {
        NodeSlot cordoned = slot(node("cordoned", 2000, 4096, 96_000, Map.of(), List.of(), true));
        verifier.verifyThat(PlacementConstraintProvider::unschedulableNode)
                .given(placement(pod("arrives", 100, 100), small, cordoned),
                        placement(pod("stays", 100, 100), cordoned, cordoned))
                .penalizesBy(1);
    }

    @Test
    void penalizesRunningPodLeftWithoutNode() {
        verifier.verifyThat(PlacementConstraintProvider::runningPodKeepsANode)
                .given(placement(pod("evicted", 100, 100), small, null), placement(pod("pending", 100, 100), null,
                        null))
                .penalizesBy(1);
    }

    @Test
    void penalizesPendingPodLeftUnplaced() {
        verifier.verifyThat(PlacementConstraintProvider::unplacedPod)
                .given(placement(pod("pending", 100, 100), null, null),
                        placement(pod("placed", 100, 100), null, small))
                .penalizesBy(1);
    }

    @Test
    void chargesEachUsedNodeOnce() {
        // small (96000) holds two pods, the candidate (30000) one, other none: 126000 µ$/h
        NodeSlot spot = candidate("new-1", 2000, 8192, 30_000);
        verifier.verifyThat(PlacementConstraintProvider::nodeCost)
                .given(small, other, spot, placement(pod("a", 100, 100), small, small),
                        placement(pod("b", 100, 100), other, small), placement(pod("c", 100, 100), other, spot))
                .penalizesBy(126_000);
    }

    @Test
    void countsMovesButNotPlacementsOfPendingPods() {
        verifier.verifyThat(PlacementConstraintProvider::podMove)
                .given(placement(pod("moved", 100, 100), other, small),
                        placement(pod("stays", 100, 100), small, small),
                        placement(pod("placed", 100, 100), null, small))
                .penalizesBy(1);
    }
}
