package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.testing.Fixtures.pod;
import static dev.kompact.optimizer.testing.Fixtures.resources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.domain.CandidateOffering;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import java.util.ArrayList;
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

        assertThat(slots)
                .containsEntry("big/us-east-1a", 7)
                .containsEntry("big/us-east-1b", 7)
                .containsEntry("small/us-east-1a", CandidateSelector.MAX_SLOTS);
    }

    @Test
    void capsTheCheapestTypeSlotsSoThatRandomChangesFindUsedNodes() {
        Map<String, Integer> slots = slotsByOffering(pods(1_000));

        assertThat(slots).containsEntry("big/us-east-1a", CandidateSelector.MAX_REPLACEMENT_SLOTS);
    }

    @Test
    void offersTheCheapestNodeForPodsNoGeneralTypeAcceptsInEveryZone() {
        Pod gpuPod = pod("model", resources(1000, 1024).with("nvidia.com/gpu", 1), Map.of(), List.of(), List.of());
        List<InstanceOffering> withGpus = new ArrayList<>(offerings);
        withGpus.add(gpuOffering("gpu", "us-east-1a", 190_000, 1));
        withGpus.add(gpuOffering("gpu", "us-east-1b", 520_000, 1));

        List<String> chosen = selector.select(withGpus, List.of(gpuPod, pod("web", 100, 128))).stream()
                .map(c -> c.offering().instanceType() + "/" + c.offering().zone())
                .toList();

        // the dearer zone too: a GPU node there is replaced in its zone
        assertThat(chosen).contains("gpu/us-east-1a", "gpu/us-east-1b");
    }

    @Test
    void offersTheNodeThatHoldsAllGpuPodsMostCheaplyBesideTheCheapestForOne() {
        List<Pod> gpuPods = IntStream.range(0, 4)
                .mapToObj(i -> pod(
                        "model" + i, resources(1000, 1024).with("nvidia.com/gpu", 1), Map.of(), List.of(), List.of()))
                .toList();
        List<InstanceOffering> withGpus = new ArrayList<>(offerings);
        withGpus.add(gpuOffering("gpu", "us-east-1a", 190_000, 1));
        withGpus.add(gpuOffering("gpu4", "us-east-1a", 600_000, 4));

        Map<String, Integer> slots = selector.select(withGpus, gpuPods).stream()
                .collect(Collectors.toMap(
                        c -> c.offering().instanceType() + "/" + c.offering().zone(), CandidateOffering::slots));

        // four 1-GPU pods: four 1-GPU nodes cost $0.76/h, one 4-GPU node $0.60/h
        assertThat(slots).containsEntry("gpu/us-east-1a", 4).containsEntry("gpu4/us-east-1a", 1);
    }

    private Map<String, Integer> slotsByOffering(List<Pod> pods) {
        return selector.select(offerings, pods).stream()
                .collect(Collectors.toMap(
                        c -> c.offering().instanceType() + "/" + c.offering().zone(), CandidateOffering::slots));
    }

    private static List<Pod> pods(int count) {
        return IntStream.range(0, count).mapToObj(i -> pod("p" + i, 1000, 1024)).toList();
    }

    private static InstanceOffering gpuOffering(String type, String zone, long priceMicros, int gpus) {
        return new InstanceOffering(
                type,
                zone,
                CapacityType.SPOT,
                priceMicros,
                resources(4000L * gpus, 16384L * gpus).with("pods", 29).with("nvidia.com/gpu", gpus),
                Map.of());
    }

    private static InstanceOffering offering(String type, String zone, long cpuMillis, long priceMicros) {
        return new InstanceOffering(
                type,
                zone,
                CapacityType.ON_DEMAND,
                priceMicros,
                resources(cpuMillis, cpuMillis * 8).with("pods", 110),
                Map.of());
    }
}
