package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvacuationSnapshotTest {

    static final ClusterSnapshot CLUSTER = new ClusterSnapshot(
            "test",
            List.of(node("spot-1"), node("other-1")),
            List.of(
                    pod("web-1", "spot-1", new Owner("ReplicaSet", "web")),
                    pod("proxy-1", "spot-1", new Owner("DaemonSet", "proxy")),
                    pod("bare-1", "spot-1", null),
                    pod("web-2", "other-1", new Owner("ReplicaSet", "web")),
                    pod("web-3", null, new Owner("ReplicaSet", "web"))),
            List.of(),
            List.of());

    @Test
    void closesTheNodeSoEveryPodOnItMustMove() {
        ClusterSnapshot evacuation = EvacuationSnapshot.of(CLUSTER, "spot-1").orElseThrow();

        Node closed = evacuation.node("spot-1").orElseThrow();
        assertThat(closed.unschedulable()).isTrue();
        assertThat(closed.allocatable().get("pods")).isZero();
        assertThat(closed.allocatable().get("cpu")).isEqualTo(3920);
    }

    @Test
    void keepsEveryOtherNodeAndPinsEveryOtherPod() {
        ClusterSnapshot evacuation = EvacuationSnapshot.of(CLUSTER, "spot-1").orElseThrow();

        assertThat(MobilityRules.isKept(evacuation.node("other-1").orElseThrow()))
                .isTrue();
        Pod elsewhere = evacuation.pods().stream()
                .filter(p -> p.name().equals("web-2"))
                .findFirst()
                .orElseThrow();
        assertThat(MobilityRules.classify(elsewhere, evacuation.node("other-1").orElseThrow()))
                .isEqualTo(Mobility.PINNED);
        Pod evacuee = evacuation.pods().stream()
                .filter(p -> p.name().equals("web-1"))
                .findFirst()
                .orElseThrow();
        assertThat(MobilityRules.classify(evacuee, evacuation.node("spot-1").orElseThrow()))
                .isEqualTo(Mobility.RESTART);
    }

    @Test
    void leavesOutPodsThatCannotMoveAndPendingPods() {
        ClusterSnapshot evacuation = EvacuationSnapshot.of(CLUSTER, "spot-1").orElseThrow();

        // the bare pod goes down with the node whatever is planned; the pending one is for the regular rounds
        assertThat(evacuation.pods()).extracting(Pod::name).containsExactly("web-1", "proxy-1", "web-2");
    }

    @Test
    void isEmptyForANodeTheSnapshotLacks() {
        assertThat(EvacuationSnapshot.of(CLUSTER, "gone-1")).isEmpty();
    }

    private static Node node(String name) {
        return NodeBuilder.node(name)
                .instanceType("m5.xlarge")
                .capacityType(CapacityType.SPOT)
                .priceMicros(70_000)
                .allocatable(ResourceList.of(Map.of("cpu", 3920L, "memory", 14L << 30, "pods", 58L)))
                .build();
    }

    private static Pod pod(String name, String node, Owner owner) {
        return PodBuilder.pod(name)
                .namespace("shop")
                .on(node)
                .owner(owner)
                .requests(ResourceList.of(Map.of("cpu", 100L)))
                .build();
    }
}
