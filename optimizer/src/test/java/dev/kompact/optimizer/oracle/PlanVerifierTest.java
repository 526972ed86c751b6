package dev.kompact.optimizer.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.Cost;
import dev.kompact.optimizer.plan.Decision;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.Utilization;
import dev.kompact.optimizer.testing.Snapshots;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hand-made wrong plans: the verifier must name each mistake. */
class PlanVerifierTest {

    private ClusterSnapshot snapshot;
    private final PlanVerifier verifier = new PlanVerifier();

    @BeforeEach
    void readSnapshot() throws Exception {
        snapshot = Snapshots.read("three-half-empty-nodes.json");
    }

    @Test
    void acceptsTheUnchangedCluster() {
        assertThat(verifier.verify(snapshot, plan(snapshot, List.of(), List.of(), List.of(), 576_000)))
                .isEmpty();
    }

    @Test
    void flagsRemovedNodeThatStillHoldsAPod() {
        assertThat(verifier.verify(snapshot, plan(snapshot, List.of("node-a"), List.of(), List.of(), 384_000)))
                .contains("removed node node-a still holds pod shop/web-1");
    }

    @Test
    void flagsMoveOfPinnedDaemonSetPod() {
        var move = new PodMove(PodKey.parse("kube-system/kube-proxy-a"), "node-a", "node-b", Mobility.RESTART);
        assertThat(verifier.verify(snapshot, plan(snapshot, List.of(), List.of(), List.of(move), 576_000)))
                .containsExactly("pod kube-system/kube-proxy-a is pinned to node-a but the plan moves it");
    }

    @Test
    void flagsMoveOntoRemovedNode() {
        var move = new PodMove(PodKey.parse("shop/web-1"), "node-a", "node-b", Mobility.RESTART);
        var plan = plan(snapshot, List.of("node-a", "node-b"), List.of(), List.of(move), 192_000);
        assertThat(verifier.verify(snapshot, plan)).contains("removed node node-b still holds pod shop/web-1");
    }

    @Test
    void flagsNodeOverAllocatable() throws Exception {
        ClusterSnapshot gpu = Snapshots.read("pending-gpu-pod.json");
        // node-a: 1930m allocatable, holds 50m + 500m; trainer-0 adds 2000m and a GPU the node does not have
        var move = new PodMove(PodKey.parse("ml/trainer-0"), null, "node-a", Mobility.RESTART);
        assertThat(verifier.verify(gpu, plan(gpu, List.of(), List.of(), List.of(move), 96_000)))
                .contains("wave 3: pod ml/trainer-0 on node-a: node node-a has 1380 cpu free, pod requests 2000");
    }

    @Test
    void flagsANodeFilledIntoItsHardHeadroom() {
        // node-a: 3920m holds 100m + 1000m; web-2, web-3 and cart-0 add 2500m: 320m free, 10% keeps 392m
        List<PodMove> moves = List.of(
                new PodMove(PodKey.parse("shop/web-2"), "node-b", "node-a", Mobility.RESTART),
                new PodMove(PodKey.parse("shop/web-3"), "node-c", "node-a", Mobility.RESTART),
                new PodMove(PodKey.parse("shop/cart-0"), "node-c", "node-a", Mobility.RESTART));
        var plan = plan(snapshot, List.of(), List.of(), moves, 576_000);

        assertThat(verifier.verify(snapshot, plan, new Headroom(0.10, 0.10, true, Headroom.Scope.NODE)))
                .containsExactly(
                        "node node-a ends with 320 of 3920 cpu free, less than the 392 the hard headroom keeps");
        assertThat(verifier.verify(snapshot, plan, new Headroom(0.10, 0.10, false, Headroom.Scope.NODE)))
                .isEmpty();
        assertThat(verifier.verify(snapshot, plan)).isEmpty();
    }

    @Test
    void flagsAPlanThatLeavesTheClusterLessThanItsHardClusterWideHeadroom() {
        // removing node-b and node-c leaves node-a alone, its 3920m holding 100m + 1000m + the 2500m moved onto it
        List<PodMove> moves = List.of(
                new PodMove(PodKey.parse("shop/web-2"), "node-b", "node-a", Mobility.RESTART),
                new PodMove(PodKey.parse("shop/web-3"), "node-c", "node-a", Mobility.RESTART),
                new PodMove(PodKey.parse("shop/cart-0"), "node-c", "node-a", Mobility.RESTART));
        var plan = plan(snapshot, List.of("node-b", "node-c"), List.of(), moves, 192_000);

        assertThat(verifier.verify(snapshot, plan, new Headroom(0.10, 0, true, Headroom.Scope.CLUSTER)))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("the remaining nodes end with 8.2% of their cpu free, less than the 10.0% the hard"
                        + " cluster-wide headroom keeps");
        assertThat(verifier.verify(snapshot, plan, new Headroom(0.08, 0, true, Headroom.Scope.CLUSTER)))
                .isEmpty();
    }

    @Test
    void flagsAddedNodeWithoutOffering() {
        var added =
                new AddedNode("new-1", "m5.large", "us-east-1a", CapacityType.SPOT, new BigDecimal("0.03"), List.of());
        assertThat(verifier.verify(snapshot, plan(snapshot, List.of(), List.of(added), List.of(), 576_000)))
                .anySatisfy(v -> assertThat(v).startsWith("added node new-1: no offering m5.large"));
    }

    @Test
    void flagsCostThatDoesNotAddUp() {
        assertThat(verifier.verify(snapshot, plan(snapshot, List.of(), List.of(), List.of(), 1)))
                .containsExactly("costAfter is 0.000001 but the kept and added nodes cost 576000 µ$/h");
    }

    private static RebalancePlan plan(
            ClusterSnapshot snapshot,
            List<String> removed,
            List<AddedNode> added,
            List<PodMove> moves,
            long costAfterMicros) {
        long costBeforeMicros =
                snapshot.nodes().stream().mapToLong(n -> n.pricePerHourMicros()).sum();
        Utilization none = new Utilization(0, 0);
        return RebalancePlan.builder("test")
                .decision(new Decision(true, List.of()))
                .costs(
                        Cost.ofMicros(costBeforeMicros),
                        Cost.ofMicros(costAfterMicros),
                        new RebalancePlan.Savings(Cost.ofMicros(0), 0))
                .lowerBound(new LowerBoundEstimate(Cost.ofMicros(0), 0, "cpu"))
                .utilization(none, none)
                .nodesAdded(added)
                .nodesRemoved(removed)
                .moves(moves)
                .build();
    }
}
