package dev.kompact.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BenchClusterGeneratorTest {

    private static final int NODES = 90;
    private static ClusterSnapshot cluster;

    @BeforeAll
    static void generate() {
        cluster = BenchClusterGenerator.generate(NODES, 7L);
    }

    @Test
    void theSameSizeAndSeedGiveTheSameCluster() {
        assertThat(BenchClusterGenerator.generate(NODES, 7L)).isEqualTo(cluster);
        assertThat(BenchClusterGenerator.generate(NODES, 8L)).isNotEqualTo(cluster);
    }

    @Test
    void theSchedulerWouldAdmitEveryPodOnTheNodeItRunsOn() {
        ClusterState state = new ClusterState(cluster);

        assertThat(cluster.pods())
                .allSatisfy(pod -> assertThat(state.whyNot(pod, pod.nodeName()))
                        .as(pod.key().toString())
                        .isEmpty());
    }

    @Test
    void runsAboutThirtyPodsANodeAtAboutFortyPercentOfRequests() {
        assertThat(cluster.nodes()).hasSize(NODES);
        assertThat(cluster.pods().size() / (double) NODES).isBetween(22.0, 38.0);
        long cpu = cluster.pods().stream()
                .mapToLong(p -> p.requests().get(ResourceNames.CPU))
                .sum();
        long allocatable = cluster.nodes().stream()
                .mapToLong(n -> n.allocatable().get(ResourceNames.CPU))
                .sum();
        assertThat((double) cpu / allocatable).isBetween(0.25, 0.5);
    }

    @Test
    void mixesTheWorkloadsAndNodesConsolidationMustRespect() {
        Map<String, Node> nodes = cluster.nodes().stream().collect(Collectors.toMap(Node::name, Function.identity()));

        assertThat(cluster.nodes())
                .anyMatch(n -> n.capacityType() == CapacityType.SPOT)
                .anyMatch(n -> n.capacityType() == CapacityType.ON_DEMAND)
                .anyMatch(n -> n.allocatable().get(ResourceNames.NVIDIA_GPU) > 0);
        assertThat(cluster.nodes().stream().map(Node::zone).distinct()).hasSize(3);
        assertThat(cluster.pods())
                .anyMatch(p -> p.requests().get(ResourceNames.NVIDIA_GPU) > 0)
                .anyMatch(p -> !p.affinity().requiredPodAntiAffinity().isEmpty())
                .anyMatch(p -> p.affinity().topologySpread().stream().anyMatch(TopologySpreadConstraint::hard))
                .anyMatch(p -> p.affinity().topologySpread().stream().anyMatch(s -> !s.hard()))
                .anyMatch(p -> p.volumeZone() != null)
                .anyMatch(
                        p -> !p.isNodeBound() && MobilityRules.classify(p, nodes.get(p.nodeName())) == Mobility.PINNED);
        assertThat(cluster.podDisruptionBudgets()).isNotEmpty();
        assertThat(cluster.offerings()).isNotEmpty();
    }

    @Test
    void offersOnlyWhatTheClusterCanRun() {
        assertThat(cluster.offerings()).allSatisfy(o -> {
            assertThat(o.labels()).containsEntry("kubernetes.io/arch", "amd64");
            assertThat(BenchNodes.ZONES).contains(o.zone());
        });
    }
}
