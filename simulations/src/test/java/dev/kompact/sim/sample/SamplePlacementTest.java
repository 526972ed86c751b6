package dev.kompact.sim.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running pods sit where the Kubernetes scheduler could have put them. */
class SamplePlacementTest {

    private static final List<String> RESOURCES =
            List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.EPHEMERAL_STORAGE, ResourceNames.PODS);

    private static ClusterSnapshot sample;

    @BeforeAll
    static void readSample() throws Exception {
        sample = SampleSnapshot.read();
    }

    @Test
    void everyNodeHoldsWhatItsPodsRequest() {
        assertThat(sample.nodes()).allSatisfy(node -> {
            ResourceList requested = SampleSnapshot.requestedOn(sample, node);
            for (String resource : RESOURCES) {
                assertThat(requested.get(resource))
                        .as("%s on %s", resource, node.name())
                        .isLessThanOrEqualTo(node.allocatable().get(resource));
            }
        });
    }

    @Test
    void everyRunningPodToleratesTheTaintsOfItsNode() {
        assertThat(running())
                .allSatisfy(pod -> assertThat(pod.toleratesAll(nodeOf(pod).taints()))
                        .as(pod.key().toString())
                        .isTrue());
    }

    @Test
    void everyRunningPodAcceptsTheLabelsOfItsNode() {
        assertThat(running())
                .allSatisfy(pod -> assertThat(pod.acceptsNodeLabels(nodeOf(pod).labels()))
                        .as(pod.key().toString())
                        .isTrue());
    }

    @Test
    void spreadsRequestsSoNoSchedulableNodeIsNearlyFull() {
        assertThat(sample.nodes()).filteredOn(node -> !node.unschedulable()).allSatisfy(node -> {
            ResourceList requested = SampleSnapshot.requestedOn(sample, node);
            for (String resource : List.of(ResourceNames.CPU, ResourceNames.MEMORY)) {
                assertThat((double) requested.get(resource) / node.allocatable().get(resource))
                        .as("%s on %s", resource, node.name())
                        .isBetween(0.15, 0.85);
            }
        });
    }

    @Test
    void spreadsTheReplicasOfAWorkloadOverNodes() {
        List<String> storefrontNodes = running().stream()
                .filter(pod -> pod.name().startsWith("storefront-"))
                .map(Pod::nodeName)
                .distinct()
                .toList();

        assertThat(storefrontNodes).hasSizeGreaterThan(20);
    }

    private static List<Pod> running() {
        return sample.pods().stream().filter(pod -> !pod.isPending()).toList();
    }

    private static Node nodeOf(Pod pod) {
        return sample.node(pod.nodeName()).orElseThrow();
    }
}
