package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.solver.Fixtures.pod;
import static dev.kompact.optimizer.solver.Fixtures.resources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CandidateSelectorTest {

    private final CandidateSelector selector = new CandidateSelector(DaemonSetOverhead.of(List.of()));
    private final List<InstanceOffering> offerings = List.of(
            offering("big", "us-east-1a", 10_000, 400_000), offering("big", "us-east-1b", 10_000, 400_000),
            offering("small", "us-east-1a", 2_000, 200_000), offering("small", "us-east-1b", 2_000, 200_000));

    @Test
    void givesTheCheapestTypeSlotsForItsZonesShareOfTheDemand() {
        // 100 cores on 10-core nodes at $0.04 a core: 10 nodes, 5 per zone, 7 with a quarter's headroom
        Map<String, Integer> slots = slotsByOffering(pods(100));

        assertThat(slots).containsEntry("big/us-east-1a", 7).containsEntry("big/us-east-1b", 7)
                .containsEntry("small/us-east-1a", CandidateSelector.MAX_SLOTS);
    }

    @Test
    void capsTheCheapestTypeSlotsSoThatRandomChangesFindUsedNodes() {
        Map<String, Integer> slots = slotsByOffering(pods(1_000));

        assertThat(slots).containsEntry("big/us-east-1a", CandidateSelector.MAX_REPLACEMENT_SLOTS);
    }

    private Map<String, Integer> slotsByOffering(List<Pod> pods) {
        return selector.select(offerings, pods).stream().collect(Collectors.toMap(
                c -> c.offering().instanceType() + "/" + c.offering().zone(), CandidateOffering::slots));
    }

    private static List<Pod> pods(int count) {
        return IntStream.range(0, count).mapToObj(i -> pod("p" + i, 1000, 1024)).toList();
    }

    private static InstanceOffering offering(String type, String zone, long cpuMillis, long priceMicros) {
        return new InstanceOffering(type, zone, CapacityType.ON_DEMAND, priceMicros,
                resources(cpuMillis, cpuMillis * 8).with("pods", 110), Map.of());
    }
}
