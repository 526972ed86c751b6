package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.testing.Fixtures.candidate;
import static dev.kompact.optimizer.testing.Fixtures.node;
import static dev.kompact.optimizer.testing.Fixtures.placement;
import static dev.kompact.optimizer.testing.Fixtures.pod;
import static dev.kompact.optimizer.testing.Fixtures.resources;
import static dev.kompact.optimizer.testing.Fixtures.slot;
import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.DisruptionCost;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PlacementRules;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.SpreadGroup;
import dev.kompact.optimizer.domain.Workload;
import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PreferredNodeTerm;
import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.SelectorRequirement;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.WeightedPodAffinityTerm;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.testing.Fixtures;
import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementConstraintProviderTest {

    private final ConstraintVerifier<PlacementConstraintProvider, ClusterPlacement> verifier = ConstraintVerifier.build(
            new PlacementConstraintProvider(), ClusterPlacement.class, PodPlacement.class, NodeSlot.class);

    private final NodeSlot small = slot("small", 2000, 4096, 96_000);
    private final NodeSlot other = slot("other", 2000, 4096, 96_000);

    @Test
    void penalizesCpuAndMemoryOverAllocatable() {
        // cpu 1500m + 1000m on 2000m: 500 over; memory 3072Mi + 2048Mi on 4096Mi: 1024 MiB over
        verifier.verifyThat(PlacementConstraintProvider::nodeResourceCapacity)
                .given(placement(pod("a", 1500, 3072), small, small), placement(pod("b", 1000, 2048), other, small))
                .penalizesBy(500 + 1024);
    }

    @Test
    void penalizesExtendedResourceTheNodeLacks() {
        // one nvidia.com/gpu requested on a node with none: 1 over
        Pod gpuPod = pod("gpu", resources(100, 100).with("nvidia.com/gpu", 1), Map.of(), List.of(), List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeResourceCapacity)
                .given(placement(gpuPod, null, small))
                .penalizesBy(1);
    }

    @Test
    void acceptsPodsThatFit() {
        // 1000m + 1000m on 2000m; 2048Mi + 2048Mi on 4096Mi: exactly full
        verifier.verifyThat(PlacementConstraintProvider::nodeResourceCapacity)
                .given(placement(pod("a", 1000, 2048), small, small), placement(pod("b", 1000, 2048), other, small))
                .penalizesBy(0);
    }

    @Test
    void penalizesRequestsReachingIntoHardHeadroom() {
        NodeSlot kept10 = slot("kept10", 2000, 4096, 96_000);
        kept10.setHeadroom(new Headroom(0.10, 0.10, true, Headroom.Scope.NODE));
        // 10% of 2000m is 200m kept free: 1900m requested leaves 100m, 100 short; memory 3072Mi of 4096Mi leaves 1024Mi
        verifier.verifyThat(PlacementConstraintProvider::nodeHeadroom)
                .given(placement(pod("a", 1900, 3072), kept10, kept10))
                .penalizesBy(100);
    }

    @Test
    void acceptsRequestsThatLeaveTheHeadroomFree() {
        NodeSlot kept10 = slot("kept10", 2000, 4096, 96_000);
        kept10.setHeadroom(new Headroom(0.10, 0.10, true, Headroom.Scope.NODE));
        // 1800m of 2000m leaves exactly the 200m kept free; 3686Mi of 4096Mi leaves 410Mi, the 10% rounded up
        verifier.verifyThat(PlacementConstraintProvider::nodeHeadroom)
                .given(placement(pod("a", 1800, 3686), kept10, kept10))
                .penalizesBy(0);
    }

    @Test
    void pricesSoftHeadroomUsedAtTheShareOfTheNodeItTakes() {
        NodeSlot soft10 = slot("soft10", 2000, 4096, 96_000);
        soft10.setHeadroom(new Headroom(0.10, 0, false, Headroom.Scope.NODE));
        // 1900m leaves 100m of the 200m: 100m is 5% of the node's 2000m, 5% of $0.096/h is 4800 micro-dollars
        verifier.verifyThat(PlacementConstraintProvider::preferredNodeHeadroom)
                .given(placement(pod("a", 1900, 1024), soft10, soft10))
                .penalizesBy(4800);
        verifier.verifyThat(PlacementConstraintProvider::nodeHeadroom)
                .given(placement(pod("a", 1900, 1024), soft10, soft10))
                .penalizesBy(0);
    }

    @Test
    void aClusterWideHeadroomLetsOneNodeFillWhileAnotherKeepsTheRoom() {
        Headroom clusterWide = new Headroom(0.10, 0.10, true, Headroom.Scope.CLUSTER);
        small.setHeadroom(clusterWide);
        other.setHeadroom(clusterWide);
        // 10% of 2 x 2000m is 400m: 1900m and 1000m leave 100m + 1000m, no node keeps 10% but the cluster does
        verifier.verifyThat(PlacementConstraintProvider::clusterHeadroom)
                .given(placement(pod("a", 1900, 1024), small, small), placement(pod("b", 1000, 1024), other, other))
                .penalizesBy(0);
        verifier.verifyThat(PlacementConstraintProvider::nodeHeadroom)
                .given(placement(pod("a", 1900, 1024), small, small), placement(pod("b", 1000, 1024), other, other))
                .penalizesBy(0);
    }

    @Test
    void aClusterWideHeadroomPenalizesWhatTheNodesTogetherLack() {
        Headroom clusterWide = new Headroom(0.10, 0.10, true, Headroom.Scope.CLUSTER);
        small.setHeadroom(clusterWide);
        other.setHeadroom(clusterWide);
        // 1900m and 1800m leave 100m + 200m of the 400m kept: 100 short; memory leaves 3072Mi each, plenty
        verifier.verifyThat(PlacementConstraintProvider::clusterHeadroom)
                .given(placement(pod("a", 1900, 1024), small, small), placement(pod("b", 1800, 1024), other, other))
                .penalizesBy(100);
    }

    @Test
    void aSoftClusterWideHeadroomIsPricedAtTheShareOfTheNodesItTakes() {
        Headroom clusterWide = new Headroom(0.10, 0, false, Headroom.Scope.CLUSTER);
        small.setHeadroom(clusterWide);
        other.setHeadroom(clusterWide);
        // 100m short of 4000m is 2.5% of the two nodes' $0.192/h: 4800 micro-dollars
        verifier.verifyThat(PlacementConstraintProvider::preferredClusterHeadroom)
                .given(placement(pod("a", 1900, 1024), small, small), placement(pod("b", 1800, 1024), other, other))
                .penalizesBy(4800);
        verifier.verifyThat(PlacementConstraintProvider::preferredNodeHeadroom)
                .given(placement(pod("a", 1900, 1024), small, small), placement(pod("b", 1800, 1024), other, other))
                .penalizesBy(0);
    }

    @Test
    void withoutAHeadroomPolicyNothingIsKeptFree() {
        // a full node: 2000m of 2000m, no policy
        verifier.verifyThat(PlacementConstraintProvider::preferredNodeHeadroom)
                .given(placement(pod("a", 2000, 4096), small, small))
                .penalizesBy(0);
    }

    @Test
    void penalizesArrivalOnNodeWithoutSelectedLabel() {
        Pod selective = pod("db", resources(100, 100), Map.of("pool", "memory"), List.of(), List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeSelectorAndAffinity)
                .given(placement(selective, other, small))
                .penalizesBy(1);
    }

    @Test
    void acceptsArrivalMatchingRequiredAffinity() {
        NodeSlot spot =
                slot(node("spot", 2000, 4096, 30_000, Map.of("karpenter.sh/capacity-type", "spot"), List.of(), false));
        Pod onDemandOnly = pod(
                "api",
                resources(100, 100),
                Map.of(),
                List.of(new NodeSelectorTerm(List.of(new SelectorRequirement(
                        "karpenter.sh/capacity-type", SelectorOperator.NotIn, List.of("spot"))))),
                List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeSelectorAndAffinity)
                .given(placement(onDemandOnly, spot, small), placement(onDemandOnly, small, spot))
                .penalizesBy(1);
    }

    @Test
    void letsPodStayWhereItsAffinityNoLongerHolds() {
        // IgnoredDuringExecution: a running pod is not evicted by a label change
        Pod selective = pod("db", resources(100, 100), Map.of("pool", "memory"), List.of(), List.of());
        verifier.verifyThat(PlacementConstraintProvider::nodeSelectorAndAffinity)
                .given(placement(selective, small, small))
                .penalizesBy(0);
    }

    @Test
    void penalizesArrivalOnUntoleratedTaint() {
        NodeSlot tainted = slot(node(
                "batch",
                2000,
                4096,
                96_000,
                Map.of(),
                List.of(new Taint("dedicated", "batch", TaintEffect.NoSchedule)),
                false));
        Pod tolerating = pod(
                "job",
                resources(100, 100),
                Map.of(),
                List.of(),
                List.of(new Toleration("dedicated", Toleration.Operator.Equal, "batch", TaintEffect.NoSchedule)));
        verifier.verifyThat(PlacementConstraintProvider::taintsTolerated)
                .given(placement(pod("web", 100, 100), small, tainted), placement(tolerating, small, tainted))
                .penalizesBy(1);
    }

    @Test
    void ignoresPreferNoScheduleTaints() {
        NodeSlot preferNot = slot(node(
                "soft",
                2000,
                4096,
                96_000,
                Map.of(),
                List.of(new Taint("dedicated", "batch", TaintEffect.PreferNoSchedule)),
                false));
        verifier.verifyThat(PlacementConstraintProvider::taintsTolerated)
                .given(placement(pod("web", 100, 100), small, preferNot))
                .penalizesBy(0);
    }

    @Test
    void penalizesArrivalOnUnschedulableNodeButNotStaying() {
        NodeSlot cordoned = slot(node("cordoned", 2000, 4096, 96_000, Map.of(), List.of(), true));
        verifier.verifyThat(PlacementConstraintProvider::unschedulableNode)
                .given(
                        placement(pod("arrives", 100, 100), small, cordoned),
                        placement(pod("stays", 100, 100), cordoned, cordoned))
                .penalizesBy(1);
    }

    @Test
    void penalizesRunningPodLeftWithoutNode() {
        verifier.verifyThat(PlacementConstraintProvider::runningPodKeepsANode)
                .given(
                        placement(pod("evicted", 100, 100), small, null),
                        placement(pod("pending", 100, 100), null, null))
                .penalizesBy(1);
    }

    @Test
    void penalizesPendingPodLeftUnplaced() {
        verifier.verifyThat(PlacementConstraintProvider::unplacedPod)
                .given(placement(pod("pending", 100, 100), null, null), placement(pod("placed", 100, 100), null, small))
                .penalizesBy(1);
    }

    @Test
    void chargesEachUsedNodeOnce() {
        // small (96000) holds two pods, the candidate (30000) one, other none: 126000 µ$/h
        NodeSlot spot = candidate("new-1", 2000, 8192, 30_000);
        verifier.verifyThat(PlacementConstraintProvider::nodeCost)
                .given(
                        small,
                        other,
                        spot,
                        placement(pod("a", 100, 100), small, small),
                        placement(pod("b", 100, 100), other, small),
                        placement(pod("c", 100, 100), other, spot))
                .penalizesBy(126_000);
    }

    @Test
    void chargesDisruptionOfMovesButNotOfPlacingPendingPods() {
        // one restart at priority 0: 1000 µ$/h; the pending pod placed and the pod staying cost nothing
        verifier.verifyThat(PlacementConstraintProvider::disruption)
                .given(
                        withRules(placement(pod("moved", 100, 100), other, small), rules(Integer.MAX_VALUE, 1_000)),
                        withRules(placement(pod("stays", 100, 100), small, small), rules(Integer.MAX_VALUE, 1_000)),
                        withRules(placement(pod("placed", 100, 100), null, small), rules(Integer.MAX_VALUE, 1_000)))
                .penalizesBy(1_000);
    }

    @Test
    void weighsRestartsOfCriticalPodsMore() {
        Pod critical = PodBuilder.pod("dns")
                .namespace("kube-system")
                .on("n")
                .requests(resources(100, 100))
                .priority(2_000_000_000)
                .build();
        // Karpenter's eviction cost: 1 + 2e9 / 2^25 ≈ 60.6, clamped to 10
        assertThat(DisruptionCost.of(critical, Mobility.RESTART, 1_000)).isEqualTo(10_000);
        assertThat(DisruptionCost.of(pod("web", 100, 100), Mobility.LIVE, 1_000))
                .isEqualTo(100);
    }

    @Test
    void pricesARestartAtHalfTheGatesShareOfTheBillPerPod() {
        // $10/h for 200 running pods at a bar of 0.5: half of 0.5 × 10000000 / 200 = 12500 µ$/h per restart
        assertThat(DisruptionCost.restartMicros(0.5, 10_000_000, 200)).isEqualTo(12_500);
        assertThat(DisruptionCost.restartMicros(0.5, 10_000_000, 0)).isEqualTo(100);
    }

    @Test
    void forbidsRestartUnderExhaustedBudgetButNotLiveMigration() {
        PodPlacement restart = withRules(placement(pod("db-0", 100, 100), other, small), rules(0, 1_000));
        PodPlacement live = new PodPlacement(
                pod("db-1", 100, 100), Fixtures.RESOURCES.demand(resources(100, 100)), other, Mobility.LIVE);
        live.setNode(small);
        live.setRules(rules(0, 100));
        PodPlacement allowed = withRules(placement(pod("db-2", 100, 100), other, small), rules(1, 1_000));
        verifier.verifyThat(PlacementConstraintProvider::exhaustedDisruptionBudget)
                .given(restart, live, allowed)
                .penalizesBy(1);
    }

    @Test
    void keepsPodWithZonalVolumeInItsZone() {
        NodeSlot zoneB = slot(NodeBuilder.node("b1")
                .zone("us-east-1b")
                .priceMicros(96_000)
                .allocatable(resources(2000, 4096).with("pods", 29))
                .build());
        Pod zonal = withVolumeZone(pod("pg-0", 100, 100), "us-east-1a");
        verifier.verifyThat(PlacementConstraintProvider::volumeZone)
                .given(
                        placement(zonal, small, zoneB),
                        placement(zonal, zoneB, zoneB),
                        placement(withVolumeZone(pod("pg-1", 100, 100), "us-east-1a"), zoneB, small))
                .penalizesBy(1);
    }

    @Test
    void forbidsTwoReplicasWithHostAntiAffinityOnOneNode() {
        Pod a = antiAffine("web-a", WellKnownLabels.HOSTNAME);
        Pod b = antiAffine("web-b", WellKnownLabels.HOSTNAME);
        // b arrives next to a: both terms pick the other, so the pair is counted from each side
        verifier.verifyThat((provider, factory) -> PodAffinityConstraints.hostAntiAffinity(factory))
                .given(placement(a, small, small), placement(b, other, small))
                .penalizesBy(2);
    }

    @Test
    void allowsHostAntiAffinityReplicasOnDifferentNodesAndPairsThatAlreadyRan() {
        Pod a = antiAffine("web-a", WellKnownLabels.HOSTNAME);
        Pod b = antiAffine("web-b", WellKnownLabels.HOSTNAME);
        Pod c = antiAffine("web-c", WellKnownLabels.HOSTNAME);
        Pod d = antiAffine("web-d", WellKnownLabels.HOSTNAME);
        NodeSlot third = slot("third", 2000, 4096, 96_000);
        // c and d shared a node before the plan and stay: the scheduler checks only arrivals
        verifier.verifyThat((provider, factory) -> PodAffinityConstraints.hostAntiAffinity(factory))
                .given(
                        placement(a, small, small),
                        placement(b, small, third),
                        placement(c, other, other),
                        placement(d, other, other))
                .penalizesBy(0);
    }

    @Test
    void forbidsZoneAntiAffinityAcrossNodesOfOneZone() {
        // small and other are both in us-east-1a
        verifier.verifyThat((provider, factory) -> PodAffinityConstraints.zoneAntiAffinity(factory))
                .given(
                        placement(antiAffine("web-a", WellKnownLabels.ZONE), small, small),
                        placement(antiAffine("web-b", WellKnownLabels.ZONE), null, other))
                .penalizesBy(2);
    }

    @Test
    void requiresPodAffinityPartnerOnTheSameNode() {
        Pod cache = labelled(pod("cache", 100, 100), Map.of("app", "cache"));
        PodPlacement lonely = withAffinity(placement(pod("web", 100, 100), null, other), WellKnownLabels.HOSTNAME);
        PodPlacement together = withAffinity(placement(pod("api", 100, 100), null, small), WellKnownLabels.HOSTNAME);
        verifier.verifyThat((provider, factory) -> PodAffinityConstraints.hostAffinity(factory))
                .given(placement(cache, small, small), lonely, together)
                .penalizesBy(1);
    }

    @Test
    void penalizesZoneSpreadBeyondMaxSkewCountingEmptyEligibleZones() {
        // three eligible zones; w2 arrives next to w1 in us-east-1a: 2 - 0 = skew 2, max 1: 1 over
        SpreadGroup group = new SpreadGroup("web", "default", selector("web"), WellKnownLabels.ZONE, true, 1, 3);
        verifier.verifyThat((provider, factory) -> SpreadConstraints.zoneSpread(factory))
                .given(
                        spread(placement(labelled(pod("w1", 100, 100), Map.of("app", "web")), small, small), group),
                        spread(placement(labelled(pod("w2", 100, 100), Map.of("app", "web")), null, other), group))
                .penalizesBy(1);
    }

    @Test
    void letsAnExistingSkewStayWhereNoPodArrives() {
        // both replicas already ran in us-east-1a and stay: the scheduler never re-checks them
        SpreadGroup group = new SpreadGroup("web", "default", selector("web"), WellKnownLabels.ZONE, true, 1, 3);
        verifier.verifyThat((provider, factory) -> SpreadConstraints.zoneSpread(factory))
                .given(
                        spread(placement(labelled(pod("w1", 100, 100), Map.of("app", "web")), small, small), group),
                        spread(placement(labelled(pod("w2", 100, 100), Map.of("app", "web")), other, other), group))
                .penalizesBy(0);
    }

    @Test
    void acceptsZoneSpreadExactlyAtMaxSkew() {
        // one zone eligible and used: 2 - 2 = 0 ≤ 1; with two zones eligible, 2 - 0 = 2 > 1 would break it
        SpreadGroup oneZone = new SpreadGroup("web", "default", selector("web"), WellKnownLabels.ZONE, true, 1, 1);
        verifier.verifyThat((provider, factory) -> SpreadConstraints.zoneSpread(factory))
                .given(
                        spread(placement(labelled(pod("w1", 100, 100), Map.of("app", "web")), small, small), oneZone),
                        spread(placement(labelled(pod("w2", 100, 100), Map.of("app", "web")), null, other), oneZone))
                .penalizesBy(0);
    }

    @Test
    void penalizesNodeSpreadBeyondMaxSkew() {
        // maxSkew 1 per node: three replicas on small is 2 over
        SpreadGroup group = new SpreadGroup("web", "default", selector("web"), WellKnownLabels.HOSTNAME, true, 1, 0);
        verifier.verifyThat((provider, factory) -> SpreadConstraints.hostSpread(factory))
                .given(
                        spread(placement(pod("w1", 100, 100), small, small), group),
                        spread(placement(pod("w2", 100, 100), other, small), group),
                        spread(placement(pod("w3", 100, 100), null, small), group))
                .penalizesBy(2);
    }

    @Test
    void chargesScheduleAnywaySpreadAsSoftPenalty() {
        SpreadGroup group = new SpreadGroup("web", "default", selector("web"), WellKnownLabels.HOSTNAME, false, 1, 0);
        // one replica over on small: 500 µ$/h
        verifier.verifyThat((provider, factory) -> SpreadConstraints.softHostSpread(factory))
                .given(
                        spread(placement(pod("w1", 100, 100), small, small), group),
                        spread(placement(pod("w2", 100, 100), other, small), group))
                .penalizesBy(500);
    }

    @Test
    void chargesSpotRiskOncePerUsedSpotNode() {
        NodeSlot spot = candidate("new-spot", 2000, 8192, 30_000);
        spot.setSpotRiskMicros(1_125);
        verifier.verifyThat(PlacementConstraintProvider::spotRisk)
                .given(
                        placement(pod("a", 100, 100), null, spot),
                        placement(pod("b", 100, 100), null, spot),
                        placement(pod("c", 100, 100), small, small))
                .penalizesBy(1_125);
    }

    @Test
    void penalizesWorkloadConcentratedOnOneSpotPool() {
        NodeSlot spot1 = candidate("new-spot-1", 4000, 8192, 30_000);
        NodeSlot spot2 = candidate("new-spot-2", 4000, 8192, 30_000);
        Workload web = new Workload("default/ReplicaSet/web", 4, 2);
        // four replicas, at most two per pool; all four in pool m5.large/us-east-1a: 2 over × 500
        verifier.verifyThat(PlacementConstraintProvider::spotPoolConcentration)
                .given(
                        inWorkload(placement(pod("w1", 100, 100), null, spot1), web),
                        inWorkload(placement(pod("w2", 100, 100), null, spot1), web),
                        inWorkload(placement(pod("w3", 100, 100), null, spot2), web),
                        inWorkload(placement(pod("w4", 100, 100), null, spot2), web))
                .penalizesBy(1_000);
    }

    @Test
    void chargesUnmetPreferredNodeAffinityByWeight() {
        Pod prefersMemory = withPreferredNode(pod("cache", 100, 100), 40, "pool", "memory");
        // weight 40 × 10 µ$/h
        verifier.verifyThat(PlacementConstraintProvider::preferredNodeAffinity)
                .given(placement(prefersMemory, small, small))
                .penalizesBy(400);
    }

    @Test
    void chargesPreferredHostAntiAffinityPerNeighbour() {
        Pod a = withPreferredAntiAffinity(labelled(pod("web-a", 100, 100), Map.of("app", "web")), 100);
        Pod b = labelled(pod("web-b", 100, 100), Map.of("app", "web"));
        verifier.verifyThat((provider, factory) -> PodAffinityConstraints.preferredHostAntiAffinity(factory))
                .given(placement(a, small, small), placement(b, other, small))
                .penalizesBy(1_000);
    }

    @Test
    void doesNotChargeKeptNodesAsTheyArePaidAnyway() {
        NodeSlot kept = slot("kept", 2000, 4096, 500_000);
        kept.setKept(true);
        verifier.verifyThat(PlacementConstraintProvider::nodeCost)
                .given(placement(pod("a", 100, 100), kept, kept), placement(pod("b", 100, 100), small, small))
                .penalizesBy(96_000);
    }

    private static LabelSelector selector(String app) {
        return new LabelSelector(Map.of("app", app), List.of());
    }

    private static Pod antiAffine(String name, String topologyKey) {
        Pod pod = labelled(pod(name, 100, 100), Map.of("app", "web"));
        return withAffinity(
                pod,
                new AffinityRules(
                        List.of(),
                        List.of(),
                        List.of(new PodAffinityTerm(selector("web"), Set.of(), false, topologyKey)),
                        List.of(),
                        List.of(),
                        List.of()));
    }

    private static Pod labelled(Pod pod, Map<String, String> labels) {
        return PodBuilder.pod(pod.name())
                .namespace(pod.namespace())
                .on(pod.nodeName())
                .owner(pod.owner())
                .requests(pod.requests())
                .usage(pod.usage())
                .priority(pod.priority())
                .labels(labels)
                .annotations(pod.annotations())
                .nodeSelector(pod.nodeSelector())
                .requiredNodeAffinity(pod.requiredNodeAffinity())
                .tolerations(pod.tolerations())
                .affinity(pod.affinity())
                .volumes(pod.volumes())
                .volumeZone(pod.volumeZone())
                .build();
    }

    private static Pod withAffinity(Pod pod, AffinityRules rules) {
        return PodBuilder.pod(pod.name())
                .namespace(pod.namespace())
                .on(pod.nodeName())
                .owner(pod.owner())
                .requests(pod.requests())
                .usage(pod.usage())
                .priority(pod.priority())
                .labels(pod.labels())
                .annotations(pod.annotations())
                .nodeSelector(pod.nodeSelector())
                .requiredNodeAffinity(pod.requiredNodeAffinity())
                .tolerations(pod.tolerations())
                .affinity(rules)
                .volumes(pod.volumes())
                .volumeZone(pod.volumeZone())
                .build();
    }

    private static Pod withVolumeZone(Pod pod, String zone) {
        return PodBuilder.pod(pod.name())
                .namespace(pod.namespace())
                .on(pod.nodeName())
                .owner(pod.owner())
                .requests(pod.requests())
                .usage(pod.usage())
                .priority(pod.priority())
                .labels(pod.labels())
                .annotations(pod.annotations())
                .nodeSelector(pod.nodeSelector())
                .requiredNodeAffinity(pod.requiredNodeAffinity())
                .tolerations(pod.tolerations())
                .affinity(pod.affinity())
                .volumes(pod.volumes())
                .volumeZone(zone)
                .build();
    }

    private static Pod withPreferredNode(Pod pod, int weight, String key, String value) {
        return withAffinity(
                pod,
                new AffinityRules(
                        List.of(new PreferredNodeTerm(
                                weight,
                                new NodeSelectorTerm(
                                        List.of(new SelectorRequirement(key, SelectorOperator.In, List.of(value)))))),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of()));
    }

    private static Pod withPreferredAntiAffinity(Pod pod, int weight) {
        return withAffinity(
                pod,
                new AffinityRules(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(new WeightedPodAffinityTerm(
                                weight,
                                new PodAffinityTerm(selector("web"), Set.of(), false, WellKnownLabels.HOSTNAME))),
                        List.of()));
    }

    private static PodPlacement withAffinity(PodPlacement placement, String topologyKey) {
        placement.setRules(new PlacementRules(
                List.of(new PodAffinityTerm(selector("cache"), Set.of(), false, topologyKey)),
                List.of(),
                null,
                Integer.MAX_VALUE,
                1_000));
        return placement;
    }

    private static PodPlacement spread(PodPlacement placement, SpreadGroup group) {
        placement.setRules(new PlacementRules(List.of(), List.of(group), null, Integer.MAX_VALUE, 1_000));
        return placement;
    }

    private static PodPlacement inWorkload(PodPlacement placement, Workload workload) {
        placement.setRules(new PlacementRules(List.of(), List.of(), workload, Integer.MAX_VALUE, 1_000));
        return placement;
    }

    private static PlacementRules rules(int disruptionsAllowed, long disruptionCost) {
        return new PlacementRules(List.of(), List.of(), null, disruptionsAllowed, disruptionCost);
    }

    private static PodPlacement withRules(PodPlacement placement, PlacementRules rules) {
        placement.setRules(rules);
        return placement;
    }
}
