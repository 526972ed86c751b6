package dev.kompact.sim.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SampleClusterShapeTest {

    private static ClusterSnapshot sample;

    @BeforeAll
    static void readSample() throws Exception {
        sample = SampleSnapshot.read();
    }

    @Test
    void readsAsTheSampleWithTheCatalogueAsItsOfferings() {
        assertThat(sample.name()).isEqualTo("sample");
        assertThat(sample.offerings()).isNotEmpty();
    }

    @Test
    void hasAboutFiftyNodesOfCommonCatalogueTypesInThreeZones() {
        assertThat(sample.nodes()).hasSizeBetween(45, 55);
        assertThat(sample.nodes()).allSatisfy(node -> {
            assertThat(InstanceCatalog.bundled().type(node.instanceType())).isPresent();
            assertThat(node.instanceType()).matches("(m5|m6i|c5|c6i|r5|r6i|t3)\\.(large|xlarge|2xlarge|4xlarge)");
        });
        assertThat(sample.nodes().stream().map(Node::zone).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
    }

    @Test
    void runsAboutOneNodeInFiveOnSpot() {
        long spot = sample.nodes().stream()
                .filter(n -> n.capacityType() == CapacityType.SPOT)
                .count();

        assertThat((double) spot / sample.nodes().size()).isBetween(0.15, 0.25);
    }

    @Test
    void writesThePriceOfAFewNodesAndLeavesTheRestToTheCatalogue() throws Exception {
        SnapshotDocument document =
                JsonMapper.builder().build().readValue(SampleSnapshot.text(), SnapshotDocument.class);
        long priced =
                document.nodes().stream().filter(n -> n.pricePerHour() != null).count();

        assertThat(priced).isBetween(1L, document.nodes().size() / 4L);
        assertThat(document.offerings()).isNull();
    }

    @Test
    void runsAboutEightHundredPodsOfAboutEightyWorkloads() {
        Set<Owner> workloads =
                sample.pods().stream().map(Pod::owner).filter(Objects::nonNull).collect(Collectors.toSet());

        assertThat(sample.pods()).hasSizeBetween(700, 900);
        assertThat(workloads).hasSizeBetween(70, 90);
        assertThat(workloads).extracting(Owner::kind).contains("ReplicaSet", "StatefulSet", "DaemonSet");
        assertThat(sample.pods()).filteredOn(pod -> pod.owner() == null).hasSizeBetween(1, 4);
    }

    @Test
    void requestsFillAboutFortyPercentOfCpuAndMemory() {
        assertThat(requestedShare(ResourceNames.CPU, Pod::requests)).isBetween(0.35, 0.45);
        assertThat(requestedShare(ResourceNames.MEMORY, Pod::requests)).isBetween(0.35, 0.45);
    }

    @Test
    void podsUseAFractionOfWhatTheyRequest() {
        assertThat(running()).allSatisfy(pod -> {
            assertThat(share(pod, ResourceNames.CPU)).isBetween(0.05, 0.40);
            assertThat(share(pod, ResourceNames.MEMORY)).isBetween(0.35, 0.85);
        });
        assertThat(requestedShare(ResourceNames.CPU, Pod::usage)).isLessThan(0.15);
        assertThat(requestedShare(ResourceNames.MEMORY, Pod::usage)).isLessThan(0.30);
    }

    @Test
    void requestsStayWithinTheRangesTeamsAskFor() {
        assertThat(sample.pods()).allSatisfy(pod -> {
            assertThat(pod.requests().get(ResourceNames.CPU)).isBetween(50L, 2000L);
            assertThat(pod.requests().get(ResourceNames.MEMORY)).isBetween(64L << 20, 8L << 30);
        });
        assertThat(sample.pods()).anyMatch(pod -> pod.requests().get(ResourceNames.EPHEMERAL_STORAGE) > 0);
    }

    @Test
    void runsOneDaemonSetPodOnEveryNode() {
        Set<String> daemonSets = sample.pods().stream()
                .filter(Pod::isNodeBound)
                .map(pod -> pod.owner().name())
                .collect(Collectors.toSet());

        assertThat(daemonSets).hasSize(5);
        for (String daemonSet : daemonSets) {
            List<String> nodes = sample.pods().stream()
                    .filter(pod -> pod.isNodeBound() && pod.owner().name().equals(daemonSet))
                    .map(Pod::nodeName)
                    .toList();
            assertThat(nodes)
                    .as(daemonSet)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(
                            sample.nodes().stream().map(Node::name).toList());
        }
    }

    @Test
    void leavesAFewPodsPendingThatNeedNothingExotic() {
        List<Pod> pending = sample.pods().stream().filter(Pod::isPending).toList();

        assertThat(pending).hasSizeBetween(2, 3);
        assertThat(pending)
                .allSatisfy(pod -> assertThat(pod.requests().amounts().keySet())
                        .isSubsetOf(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.EPHEMERAL_STORAGE));
        assertThat(pending).anyMatch(pod -> sample.nodes().stream().anyMatch(node -> fitsNow(pod, node)));
    }

    @Test
    void cordonsOneNodeThatRunsOnlyDaemonSets() {
        List<Node> cordoned =
                sample.nodes().stream().filter(Node::unschedulable).toList();

        assertThat(cordoned).hasSize(1);
        assertThat(sample.pods())
                .filteredOn(pod -> cordoned.get(0).name().equals(pod.nodeName()))
                .isNotEmpty()
                .allMatch(Pod::isNodeBound);
    }

    @Test
    void someWorkloadsChooseTheirNodes() {
        List<Pod> workloads =
                sample.pods().stream().filter(pod -> !pod.isNodeBound()).toList();

        assertThat(workloads)
                .anyMatch(pod ->
                        !pod.nodeSelector().isEmpty() && pod.tolerations().isEmpty());
        assertThat(workloads)
                .anyMatch(pod ->
                        !pod.nodeSelector().isEmpty() && !pod.tolerations().isEmpty());
        assertThat(workloads).anyMatch(pod -> !pod.requiredNodeAffinity().isEmpty());
        assertThat(sample.nodes())
                .anyMatch(node -> node.taints().stream().anyMatch(t -> t.key().equals("dedicated")));
    }

    @Test
    void somePodsAskNotToBeDisrupted() {
        assertThat(running())
                .filteredOn(pod -> !pod.isNodeBound()
                        && pod.owner() != null
                        && MobilityRules.classify(
                                        pod, sample.node(pod.nodeName()).orElseThrow())
                                == Mobility.PINNED)
                .hasSizeBetween(3, 30);
    }

    @Test
    void budgetsCoverTheirWorkloadsAndAllowWhatTheirPodsSpare() {
        List<PodDisruptionBudget> budgets = sample.podDisruptionBudgets();

        assertThat(budgets).hasSizeBetween(8, 14);
        assertThat(budgets).allSatisfy(budget -> {
            long covered = running().stream().filter(budget::covers).count();
            assertThat(covered).as(budget.name()).isPositive();
            assertThat((long) budget.disruptionsAllowed()).as(budget.name()).isLessThan(covered);
        });
        assertThat(budgets).anyMatch(budget -> budget.disruptionsAllowed() == 0);
    }

    private static List<Pod> running() {
        return sample.pods().stream().filter(pod -> !pod.isPending()).toList();
    }

    private static double requestedShare(String resource, Function<Pod, ResourceList> amounts) {
        long allocatable = sample.nodes().stream()
                .mapToLong(n -> n.allocatable().get(resource))
                .sum();
        long used = running().stream()
                .mapToLong(pod -> amounts.apply(pod).get(resource))
                .sum();
        return (double) used / allocatable;
    }

    private static double share(Pod pod, String resource) {
        return (double) pod.usage().get(resource) / pod.requests().get(resource);
    }

    private static boolean fitsNow(Pod pod, Node node) {
        ResourceList left = node.allocatable()
                .minus(SampleSnapshot.requestedOn(sample, node))
                .minus(pod.requests().with(ResourceNames.PODS, 1));
        return !node.unschedulable()
                && left.amounts().values().stream().allMatch(amount -> amount >= 0)
                && pod.toleratesAll(node.taints())
                && pod.acceptsNodeLabels(node.labels());
    }
}
