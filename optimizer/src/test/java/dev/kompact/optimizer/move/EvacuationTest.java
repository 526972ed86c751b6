package dev.kompact.optimizer.move;

import static dev.kompact.optimizer.testing.Fixtures.pod;
import static dev.kompact.optimizer.testing.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.testing.Fixtures;
import dev.kompact.optimizer.testing.NodeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvacuationTest {

    private final NodeSlot revived = slot("revived", 2000, 8192, 200_000);
    private final NodeSlot roomy = slot("roomy", 4000, 16384, 300_000);
    private final NodeSlot otherZone = Fixtures.slot(NodeBuilder.node("other-zone")
            .instanceType("m5.xlarge")
            .zone("us-east-1b")
            .priceMicros(200_000)
            .allocatable(Fixtures.resources(8000, 32768).with("pods", 110))
            .build());

    @Test
    void movesThePodsOfARevivedNodeOntoAUsedNodeOfItsZone() {
        PodPlacement back = on(pod("back", 500, 1024), revived);
        on(pod("resident", 1000, 2048), roomy);
        on(pod("far", 100, 128), otherZone);

        Map<PodPlacement, NodeSlot> previous = Evacuation.evacuate(placement(), List.of(revived));

        assertThat(back.getNode()).isSameAs(roomy);
        assertThat(previous).containsExactly(Map.entry(back, revived));
        assertThat(revived.getPods()).isEmpty();
        assertThat(roomy.getPods()).contains(back);
    }

    @Test
    void leavesThePodsWhereTheyAreWhenNoUsedNodeOfTheZoneHasRoom() {
        PodPlacement back = on(pod("back", 500, 1024), revived);
        on(pod("resident", 3800, 2048), roomy);
        on(pod("far", 100, 128), otherZone);

        Map<PodPlacement, NodeSlot> previous = Evacuation.evacuate(placement(), List.of(revived));

        // roomy has 200m left, the other zone's node is out of bounds
        assertThat(previous).isEmpty();
        assertThat(back.getNode()).isSameAs(revived);
    }

    private ClusterPlacement placement() {
        List<PodPlacement> pods = new ArrayList<>();
        List.of(revived, roomy, otherZone).forEach(n -> pods.addAll(n.getPods()));
        return new ClusterPlacement(Fixtures.RESOURCES, List.of(revived, roomy, otherZone), pods);
    }

    private static PodPlacement on(Pod pod, NodeSlot node) {
        PodPlacement placement = Fixtures.placement(pod, node, node);
        node.getPods().add(placement);
        return placement;
    }
}
