package dev.kompact.optimizer.move;

import static dev.kompact.optimizer.testing.Fixtures.candidate;
import static dev.kompact.optimizer.testing.Fixtures.pod;
import static dev.kompact.optimizer.testing.Fixtures.resources;
import static dev.kompact.optimizer.testing.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.impl.domain.solution.descriptor.SolutionDescriptor;
import ai.timefold.solver.core.preview.api.move.MoveTester;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PlacementRules;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.testing.Fixtures;
import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepackerTest {

    private static final String GPU = "nvidia.com/gpu";

    private final NodeSlot oldA = slot("old-a", 2000, 8192, 200_000);
    private final NodeSlot oldB = slot("old-b", 2000, 8192, 200_000);
    private final NodeSlot big = candidate("new-big", 8000, 32768, 250_000);
    private final NodeSlot small = candidate("new-small", 2000, 8192, 150_000);

    @Test
    void emptiesTheGroupOntoTheOfferingCheapestForItsDemand() {
        List<PodPlacement> pods = List.of(
                on(pod("a1", 1000, 4096), oldA), on(pod("a2", 500, 2048), oldA), on(pod("b1", 1000, 4096), oldB));

        ReassignPodsMove move = new Repacker().repack(List.of(oldA, oldB), List.of(), List.of(small, big));

        // 2500m on one big node ($0.25) beats two small ones ($0.30) and the two old nodes ($0.40)
        assertThat(targetsOf(move, pods)).containsOnly(big);
    }

    @Test
    void opensTheOfferingCheapestForTheGroupsGpusTooNotOnlyItsCpu() {
        List<NodeSlot> old = new ArrayList<>();
        List<PodPlacement> pods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            NodeSlot node = slot(NodeBuilder.node("old-" + i)
                    .instanceType("g-1")
                    .priceMicros(500_000)
                    .allocatable(resources(4000, 16384).with("pods", 29).with(GPU, 1))
                    .build());
            old.add(node);
            pods.add(on(pod("model" + i, resources(1000, 1024).with(GPU, 1), Map.of(), List.of(), List.of()), node));
        }
        List<NodeSlot> empty = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            empty.add(gpuCandidate("one-gpu-" + i, 8000, 1, 300_000));
        }
        NodeSlot fourGpus = gpuCandidate("four-gpus", 4000, 4, 900_000);
        empty.add(fourGpus);

        ReassignPodsMove move = new Repacker().repack(old, List.of(), empty);

        // by CPU alone a 1-GPU node holds the 4000m for $0.15/h, but the 4 GPUs need four ($1.20/h): one 4-GPU node
        // ($0.90/h) holds them all
        assertThat(targetsOf(move, pods)).containsOnly(fourGpus);
    }

    @Test
    void fillsUsedNodesWithRoomBeforeOpeningNewOnes() {
        NodeSlot roomy = slot("roomy", 4000, 16384, 300_000);
        on(pod("r1", 1000, 1024), roomy);
        List<PodPlacement> pods = List.of(on(pod("a1", 1000, 4096), oldA), on(pod("b1", 1000, 4096), oldB));

        ReassignPodsMove move = new Repacker().repack(List.of(oldA, oldB), List.of(roomy), List.of(big));

        assertThat(targetsOf(move, pods)).containsOnly(roomy);
    }

    @Test
    void keepsPodsWithRequiredAntiAffinityOnSeparateNodes() {
        List<PodPlacement> pods = List.of(on(antiAffine("w1"), oldA), on(antiAffine("w2"), oldB));

        ReassignPodsMove move = new Repacker().repack(List.of(oldA, oldB), List.of(), List.of(big, small));

        // one on the big slot ($0.25), the other refused there and on the small one: $0.40, no less than now
        assertThat(move).isSameAs(RandomMoveFactory.NOTHING);
        NodeSlot cheap = candidate("new-cheap", 8000, 32768, 100_000);
        NodeSlot cheap2 = candidate("new-cheap-2", 8000, 32768, 100_000);
        ReassignPodsMove split = new Repacker().repack(List.of(oldA, oldB), List.of(), List.of(cheap, cheap2));
        assertThat(targetsOf(split, pods)).containsExactly(cheap, cheap2);
    }

    @Test
    void leavesAGroupWhosePodMayNotRestartUnderItsBudget() {
        PodPlacement guarded = on(pod("guarded", 100, 128), oldA);
        guarded.setRules(new PlacementRules(List.of(), List.of(), null, 0, 1_000));
        on(pod("b1", 100, 128), oldB);

        assertThat(new Repacker().repack(List.of(oldA, oldB), List.of(), List.of(big)))
                .isSameAs(RandomMoveFactory.NOTHING);
    }

    @Test
    void leavesAGroupWhenTheNewNodesWouldCostMoreThanTheOldOnes() {
        on(pod("a1", 1500, 6000), oldA);
        NodeSlot dear = candidate("new-dear", 2000, 8192, 500_000);

        assertThat(new Repacker().repack(List.of(oldA), List.of(), List.of(dear)))
                .isSameAs(RandomMoveFactory.NOTHING);
    }

    @Test
    void isUndoneExactly() {
        List<PodPlacement> pods = List.of(on(pod("a1", 1000, 4096), oldA), on(pod("b1", 1000, 4096), oldB));
        List<NodeSlot> nodes = List.of(oldA, oldB, big, small);
        ClusterPlacement solution = new ClusterPlacement(Fixtures.RESOURCES, nodes, new ArrayList<>(pods));
        Map<NodeSlot, List<PodPlacement>> before = podsByNode(nodes);
        ReassignPodsMove move = new Repacker().repack(List.of(oldA, oldB), List.of(), List.of(small, big));

        MoveTester.build(SolutionDescriptor.buildSolutionDescriptor(
                                ClusterPlacement.class, PodPlacement.class, NodeSlot.class)
                        .getMetaModel())
                .using(solution)
                .executeTemporarily(move, view -> {
                    assertThat(big.getPods()).containsExactlyInAnyOrderElementsOf(pods);
                    assertThat(oldA.getPods()).isEmpty();
                });

        assertThat(pods).extracting(PodPlacement::getNode).containsExactly(oldA, oldB);
        assertThat(podsByNode(nodes)).isEqualTo(before);
    }

    /** A pod running on {@code node}, listed among its pods as the solver's shadow variable would list it. */
    private static PodPlacement on(Pod pod, NodeSlot node) {
        PodPlacement placement = Fixtures.placement(pod, node, node);
        node.getPods().add(placement);
        return placement;
    }

    private static NodeSlot gpuCandidate(String name, long cpuMillis, int gpus, long priceMicros) {
        InstanceOffering offering = new InstanceOffering(
                "g-" + gpus,
                "us-east-1a",
                CapacityType.ON_DEMAND,
                priceMicros,
                resources(cpuMillis, 65536).with("pods", 29).with(GPU, gpus),
                Map.of());
        return NodeSlot.candidate(
                name, offering, Map.of(), Fixtures.RESOURCES.vector(offering.allocatable()), Fixtures.RESOURCES);
    }

    private static List<NodeSlot> targetsOf(ReassignPodsMove move, List<PodPlacement> pods) {
        assertThat(move).isNotSameAs(RandomMoveFactory.NOTHING);
        List<?> moved = List.copyOf(move.getPlanningEntities());
        List<?> values = List.copyOf(move.getPlanningValues());
        List<NodeSlot> targets = new ArrayList<>();
        for (PodPlacement pod : pods) {
            targets.add((NodeSlot) values.get(moved.indexOf(pod)));
        }
        return targets;
    }

    private static Map<NodeSlot, List<PodPlacement>> podsByNode(List<NodeSlot> nodes) {
        Map<NodeSlot, List<PodPlacement>> pods = new HashMap<>();
        nodes.forEach(n -> pods.put(n, List.copyOf(n.getPods())));
        return pods;
    }

    private static Pod antiAffine(String name) {
        Pod pod = pod(name, 1000, 4096);
        LabelSelector web = new LabelSelector(Map.of("app", "web"), List.of());
        return PodBuilder.pod(pod.name())
                .namespace(pod.namespace())
                .on(pod.nodeName())
                .owner(pod.owner())
                .requests(pod.requests())
                .usage(pod.usage())
                .priority(pod.priority())
                .labels(Map.of("app", "web"))
                .annotations(pod.annotations())
                .nodeSelector(pod.nodeSelector())
                .requiredNodeAffinity(pod.requiredNodeAffinity())
                .tolerations(pod.tolerations())
                .affinity(new AffinityRules(
                        List.of(),
                        List.of(),
                        List.of(new PodAffinityTerm(web, Set.of(), false, WellKnownLabels.HOSTNAME)),
                        List.of(),
                        List.of(),
                        List.of()))
                .volumes(pod.volumes())
                .volumeZone(pod.volumeZone())
                .build();
    }
}
