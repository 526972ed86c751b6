package dev.kompact.sim.packing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceNames;
import org.junit.jupiter.api.Test;

class PackingSetGeneratorTest {

    @Test
    void sameSeedGivesTheSameSet() {
        assertThat(PackingSetGenerator.generate(PackingShape.MANY_SMALL, 50, 7))
                .isEqualTo(PackingSetGenerator.generate(PackingShape.MANY_SMALL, 50, 7));
        assertThat(PackingSetGenerator.generate(PackingShape.MANY_SMALL, 50, 8))
                .isNotEqualTo(PackingSetGenerator.generate(PackingShape.MANY_SMALL, 50, 7));
    }

    @Test
    void everyPodIsPendingOnFixedPricedNodesWithNothingToBuy() {
        ClusterSnapshot set = PackingSetGenerator.generate(PackingShape.FEW_LARGE, 40, 1);

        assertThat(set.nodes())
                .hasSize(40)
                .allSatisfy(n -> assertThat(n.pricePerHourMicros()).isPositive());
        assertThat(set.nodes().stream().map(Node::instanceType).distinct()).hasSizeGreaterThan(1);
        assertThat(set.pods())
                .hasSize(120)
                .allSatisfy(p -> assertThat(p.isPending()).isTrue());
        assertThat(set.offerings()).isEmpty();
    }

    @Test
    void scarcestResourceIsUsedAsPlanned() {
        // the cpu-bound set asks 1-2 GiB per core: cpu runs out first, at 60% of all the nodes have
        ClusterSnapshot cpu = PackingSetGenerator.generate(PackingShape.CPU_BOUND, 200, 1);
        assertThat(share(cpu, ResourceNames.CPU)).isBetween(0.55, 0.61);
        assertThat(share(cpu, ResourceNames.MEMORY)).isLessThan(share(cpu, ResourceNames.CPU));

        ClusterSnapshot memory = PackingSetGenerator.generate(PackingShape.MEMORY_BOUND, 200, 1);
        assertThat(share(memory, ResourceNames.MEMORY)).isBetween(0.55, 0.61);
        assertThat(share(memory, ResourceNames.CPU)).isLessThan(share(memory, ResourceNames.MEMORY));
    }

    @Test
    void gpuSetAsksForMostOfItsGpus() {
        ClusterSnapshot gpu = PackingSetGenerator.generate(PackingShape.GPU_BOUND, 200, 1);

        assertThat(share(gpu, ResourceNames.NVIDIA_GPU)).isBetween(0.5, 0.61);
    }

    @Test
    void unknownShapeNamesTheKnownOnes() {
        assertThatThrownBy(() -> PackingShape.parse("tiny"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tiny")
                .hasMessageContaining("gpu-bound");
        assertThatThrownBy(() -> PackingSetGenerator.generate(PackingShape.CPU_BOUND, 0, 1))
                .hasMessageContaining("at least one node");
    }

    private static double share(ClusterSnapshot set, String resource) {
        long demand = set.pods().stream()
                .mapToLong((Pod p) -> p.requests().get(resource))
                .sum();
        long capacity = set.nodes().stream()
                .mapToLong(n -> n.allocatable().get(resource))
                .sum();
        return (double) demand / capacity;
    }
}
