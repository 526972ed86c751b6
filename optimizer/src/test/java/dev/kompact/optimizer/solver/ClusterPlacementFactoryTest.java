package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.testing.Fixtures.resources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.testing.Fixtures;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClusterPlacementFactoryTest {

    private static final InstanceOffering BIG = offering("big", 10_000, 400_000);
    private static final InstanceOffering SMALL = offering("small", 2_000, 200_000);

    @Test
    void givesEachBoughtNodeASlotBesidesTheChosenOffers() {
        // 1,000 cores pending make the selector cap "big" at 32 slots; a start that bought 40 "big" nodes needs 40
        ClusterSnapshot snapshot = new ClusterSnapshot(
                "bought",
                List.of(Fixtures.node("a", 4000, 16_384, 192_000, Map.of(), List.of(), false)),
                pods(1_000),
                List.of(),
                List.of(BIG, SMALL));
        ClusterPlacementFactory factory = new ClusterPlacementFactory(InstanceCatalog.bundled());

        List<NodeSlot> chosen = factory.build(snapshot).getNodes();
        List<NodeSlot> withBought =
                factory.build(snapshot, Collections.nCopies(40, BIG)).getNodes();

        assertThat(slotsOf(chosen, "big")).isEqualTo(CandidateSelector.MAX_REPLACEMENT_SLOTS);
        assertThat(slotsOf(withBought, "big")).isEqualTo(40);
        assertThat(slotsOf(withBought, "small")).isEqualTo(slotsOf(chosen, "small"));
        assertThat(withBought).extracting(NodeSlot::getName).doesNotHaveDuplicates();
    }

    private static long slotsOf(List<NodeSlot> slots, String instanceType) {
        return slots.stream()
                .filter(s -> !s.isExisting() && s.getInstanceType().equals(instanceType))
                .count();
    }

    private static List<Pod> pods(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> PodBuilder.pod("p" + i)
                        .owner("ReplicaSet", "app")
                        .requests(resources(1000, 1024))
                        .build())
                .toList();
    }

    private static InstanceOffering offering(String type, long cpuMillis, long priceMicros) {
        return new InstanceOffering(
                type,
                "us-east-1a",
                CapacityType.ON_DEMAND,
                priceMicros,
                resources(cpuMillis, cpuMillis * 8).with("pods", 110),
                Map.of());
    }
}
