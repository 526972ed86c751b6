package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStatus;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.optimizer.model.ClusterSnapshot;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoticedNodesTest {

    private static final Instant NOTICE = Instant.parse("2026-11-29T10:00:00Z");
    private static final String BEFORE = "2026-11-28T08:00:00Z";
    private static final String AFTER = "2026-11-29T10:05:00Z";

    private final NoticedNodes noticed = new NoticedNodes();

    @Test
    void closesANodeHeardOfEvenWithoutAnEvacuationPlan() {
        noticed.record("spot-1", NOTICE);

        assertThat(noticed.in(List.of(node("spot-1", BEFORE), node("other-1", BEFORE)), List.of()))
                .containsExactly("spot-1");
    }

    @Test
    void closesANodeAnEvacuationPlanNamesWhateverThePlansPhase() {
        // a new leader heard nothing: the plans tell it, reported-only and finished ones too
        List<RebalancePlanResource> plans =
                List.of(evacuation("spot-1", null), evacuation("spot-2", PlanPhase.Failed), regularPlan());

        assertThat(noticed.in(List.of(node("spot-1", BEFORE), node("spot-2", BEFORE), node("other-1", BEFORE)), plans))
                .containsExactlyInAnyOrder("spot-1", "spot-2");
    }

    @Test
    void leavesOpenANewNodeThatReusesANoticedName() {
        noticed.record("ip-10-0-1-7", NOTICE);

        assertThat(noticed.in(List.of(node("ip-10-0-1-7", AFTER)), List.of())).isEmpty();
    }

    @Test
    void forgetsANodeHeardOfOnceItIsGone() {
        noticed.record("spot-1", NOTICE);
        noticed.in(List.of(node("other-1", BEFORE)), List.of());

        assertThat(noticed.in(List.of(node("spot-1", null)), List.of())).isEmpty();
    }

    @Test
    void closedNodesTakeNoNewPodsAndTheOthersAreUntouched() {
        ClusterSnapshot cluster = EvacuationSnapshotTest.CLUSTER;

        ClusterSnapshot closed = NoticedNodes.close(cluster, Set.of("spot-1"));

        assertThat(closed.node("spot-1").orElseThrow().unschedulable()).isTrue();
        assertThat(closed.node("spot-1").orElseThrow().allocatable())
                .isEqualTo(cluster.node("spot-1").orElseThrow().allocatable());
        assertThat(closed.node("other-1")).containsSame(cluster.node("other-1").orElseThrow());
        assertThat(closed.pods()).isEqualTo(cluster.pods());
    }

    private static io.fabric8.kubernetes.api.model.Node node(String name, String created) {
        return new NodeBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(name)
                        .withCreationTimestamp(created)
                        .build())
                .build();
    }

    private static RebalancePlanResource evacuation(String node, PlanPhase phase) {
        RebalancePlanResource plan = regularPlan();
        plan.getSpec().evacuatedNode = node;
        plan.setStatus(new PlanStatus());
        plan.getStatus().phase = phase;
        return plan;
    }

    private static RebalancePlanResource regularPlan() {
        RebalancePlanResource plan = new RebalancePlanResource();
        plan.setMetadata(new ObjectMetaBuilder()
                .withName("plan")
                .withCreationTimestamp(NOTICE.toString())
                .build());
        plan.setSpec(new PlanSpec());
        return plan;
    }
}
