package dev.kompact.sim.packing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceNames;
import org.junit.jupiter.api.Test;

class AlibabaPackingSetTest {

    private final ClusterSnapshot set = PackingSetGenerator.generate(PackingShape.ALIBABA_OPENB, 100, 1);

    @Test
    void drawsTheSameSetFromTheSameSeed() {
        assertThat(PackingSetGenerator.generate(PackingShape.ALIBABA_OPENB, 100, 1))
                .isEqualTo(set);
        assertThat(PackingSetGenerator.generate(PackingShape.ALIBABA_OPENB, 100, 2))
                .isNotEqualTo(set);
    }

    @Test
    void everyPodIsPendingAndFitsSomeDrawnNodeAlone() {
        assertThat(set.nodes())
                .hasSize(100)
                .allSatisfy(n -> assertThat(n.pricePerHourMicros()).isPositive());
        assertThat(set.pods()).isNotEmpty().hasSizeLessThanOrEqualTo(300);
        for (Pod pod : set.pods()) {
            assertThat(pod.isPending()).isTrue();
            assertThat(set.nodes()).anySatisfy(n -> assertThat(holds(n, pod)).isTrue());
        }
    }

    @Test
    void stopsDrawingPodsOnceAResourceIsSixtyPercentAsked() {
        // the last pod drawn may cross 60%, by less than the largest node holds
        for (String resource : new String[] {ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.NVIDIA_GPU}) {
            long capacity = set.nodes().stream()
                    .mapToLong(n -> n.allocatable().get(resource))
                    .sum();
            long asked = set.pods().stream()
                    .mapToLong(p -> p.requests().get(resource))
                    .sum();
            long largest = set.nodes().stream()
                    .mapToLong(n -> n.allocatable().get(resource))
                    .max()
                    .orElseThrow();
            assertThat(asked).as(resource).isLessThanOrEqualTo((long) (0.6 * capacity) + largest);
        }
    }

    @Test
    void refusesMoreNodesThanTheTraceHas() {
        assertThatThrownBy(() -> PackingSetGenerator.generate(PackingShape.ALIBABA_OPENB, 2000, 1))
                .hasMessageContaining("1523 nodes");
    }

    private static boolean holds(Node node, Pod pod) {
        return pod.requests().amounts().entrySet().stream()
                .allMatch(e -> e.getValue() <= node.allocatable().get(e.getKey()));
    }
}
