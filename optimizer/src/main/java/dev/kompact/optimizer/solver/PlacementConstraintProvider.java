package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.uni.UniConstraintStream;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.Mobility;

/**
 * Hard: what Kubernetes would refuse, checked as the scheduler checks it, when a pod arrives on a node. Medium: pods
 * left without a node. Soft, all in micro-dollars per hour: the price of every node that holds a pod, the spot
 * premium for interruption risk, what moving pods costs, and the preferences Kubernetes only scores. The rules
 * between pods live in {@link PodAffinityConstraints} and {@link SpreadConstraints}; the one list is here.
 */
public class PlacementConstraintProvider implements ConstraintProvider {

    public static final String NODE_RESOURCE_CAPACITY = "Node resource capacity";
    public static final String NODE_SELECTOR_AND_AFFINITY = "Node selector and required node affinity";
    public static final String TAINTS_TOLERATED = "Taints tolerated";
    public static final String UNSCHEDULABLE_NODE = "Nothing new on an unschedulable node";
    public static final String RUNNING_POD_KEEPS_A_NODE = "Running pod keeps a node";
    public static final String UNPLACED_POD = "Unplaced pod";
    public static final String VOLUME_ZONE = "Volume zone";
    public static final String HOST_ANTI_AFFINITY = "Pod anti-affinity per node";
    public static final String ZONE_ANTI_AFFINITY = "Pod anti-affinity per zone";
    public static final String HOST_AFFINITY = "Pod affinity per node";
    public static final String ZONE_AFFINITY = "Pod affinity per zone";
    public static final String ZONE_SPREAD = "Topology spread over zones";
    public static final String HOST_SPREAD = "Topology spread over nodes";
    public static final String EXHAUSTED_DISRUPTION_BUDGET = "No restart under an exhausted disruption budget";
    public static final String NODE_COST = "Node cost";
    public static final String SPOT_RISK = "Spot interruption risk";
    public static final String SPOT_POOL_CONCENTRATION = "Spot pool concentration";
    public static final String DISRUPTION = "Disruption cost";
    public static final String SOFT_ZONE_SPREAD = "Preferred topology spread over zones";
    public static final String SOFT_HOST_SPREAD = "Preferred topology spread over nodes";
    public static final String PREFERRED_NODE_AFFINITY = "Preferred node affinity";
    public static final String NODE_HEADROOM = "Node headroom";
    public static final String PREFERRED_NODE_HEADROOM = "Preferred node headroom";
    public static final String CLUSTER_HEADROOM = "Cluster headroom";
    public static final String PREFERRED_CLUSTER_HEADROOM = "Preferred cluster headroom";
    public static final String PREFERRED_HOST_ANTI_AFFINITY = "Preferred pod anti-affinity per node";
    public static final String PREFERRED_HOST_AFFINITY = "Preferred pod affinity per node";

    /** What one point of a preference's weight (1..100) is worth: a weight-100 preference equals one restart. */
    static final long PREFERENCE_POINT_MICROS = 10;
    /** What one pod over a soft limit (spread, spot pool share) is worth per hour. */
    static final long SOFT_EXCESS_MICROS = 500;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            // Hard
            nodeResourceCapacity(factory),
            nodeSelectorAndAffinity(factory),
            taintsTolerated(factory),
            unschedulableNode(factory),
            runningPodKeepsANode(factory),
            volumeZone(factory),
            PodAffinityConstraints.hostAntiAffinity(factory),
            PodAffinityConstraints.zoneAntiAffinity(factory),
            PodAffinityConstraints.hostAffinity(factory),
            PodAffinityConstraints.zoneAffinity(factory),
            SpreadConstraints.zoneSpread(factory),
            SpreadConstraints.hostSpread(factory),
            exhaustedDisruptionBudget(factory),
            nodeHeadroom(factory),
            clusterHeadroom(factory),
            // Medium
            unplacedPod(factory),
            // Soft
            nodeCost(factory),
            spotRisk(factory),
            spotPoolConcentration(factory),
            disruption(factory),
            SpreadConstraints.softZoneSpread(factory),
            SpreadConstraints.softHostSpread(factory),
            preferredNodeAffinity(factory),
            PodAffinityConstraints.preferredHostAntiAffinity(factory),
            PodAffinityConstraints.preferredHostAffinity(factory),
            preferredNodeHeadroom(factory),
            preferredClusterHeadroom(factory)
        };
    }

    Constraint nodeResourceCapacity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .groupBy(PodPlacement::getNode, new NodeLoadCollector())
                .filter((node, load) -> node.overage(load) > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeSlot::overage)
                .asConstraint(NODE_RESOURCE_CAPACITY);
    }

    Constraint nodeSelectorAndAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.isArriving()
                        && !p.getPod().acceptsNodeLabels(p.getNode().getLabels()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(NODE_SELECTOR_AND_AFFINITY);
    }

    Constraint taintsTolerated(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p ->
                        p.isArriving() && !p.getPod().toleratesAll(p.getNode().getTaints()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(TAINTS_TOLERATED);
    }

    Constraint unschedulableNode(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.isArriving() && p.getNode().isUnschedulable())
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(UNSCHEDULABLE_NODE);
    }

    Constraint runningPodKeepsANode(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(PodPlacement.class)
                .filter(p -> p.getNode() == null && p.getCurrentNode() != null)
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(RUNNING_POD_KEEPS_A_NODE);
    }

    Constraint unplacedPod(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(PodPlacement.class)
                .filter(p -> p.getNode() == null && p.getCurrentNode() == null)
                .penalize(HardMediumSoftLongScore.ONE_MEDIUM)
                .asConstraint(UNPLACED_POD);
    }

    Constraint volumeZone(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.isArriving()
                        && p.getPod().volumeZone() != null
                        && !p.getPod().volumeZone().equals(p.getNode().getZone()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(VOLUME_ZONE);
    }

    Constraint exhaustedDisruptionBudget(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.isMoved()
                        && p.getMobility() == Mobility.RESTART
                        && p.getRules().disruptionsAllowed() == 0)
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(EXHAUSTED_DISRUPTION_BUDGET);
    }

    Constraint nodeHeadroom(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.getNode().isHeadroomHard() && !p.getNode().isHeadroomClusterWide())
                .groupBy(PodPlacement::getNode, new NodeLoadCollector())
                .filter((node, load) -> node.headroomShortfall(load) > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, NodeSlot::headroomShortfall)
                .asConstraint(NODE_HEADROOM);
    }

    /** The nodes that hold pods keep, together, the headroom's share of their allocatable free. */
    Constraint clusterHeadroom(ConstraintFactory factory) {
        return clusterRoom(factory, true)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, ClusterRoomCollector.Room::shortfall)
                .asConstraint(CLUSTER_HEADROOM);
    }

    /** Cluster room used is priced at the share of the nodes' price it takes, as a node's headroom is. */
    Constraint preferredClusterHeadroom(ConstraintFactory factory) {
        return clusterRoom(factory, false)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, ClusterRoomCollector.Room::shortfallMicros)
                .asConstraint(PREFERRED_CLUSTER_HEADROOM);
    }

    private static UniConstraintStream<ClusterRoomCollector.Room> clusterRoom(ConstraintFactory factory, boolean hard) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.getNode().isHeadroomClusterWide() && p.getNode().isHeadroomHard() == hard)
                .groupBy(PodPlacement::getNode, new NodeLoadCollector())
                .groupBy(new ClusterRoomCollector())
                .filter(room -> room.shortfall() > 0);
    }

    Constraint nodeCost(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .groupBy(PodPlacement::getNode)
                .filter(node -> !node.isKept())
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, NodeSlot::getPricePerHourMicros)
                .asConstraint(NODE_COST);
    }

    Constraint spotRisk(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .groupBy(PodPlacement::getNode)
                .filter(node -> node.getSpotRiskMicros() > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, NodeSlot::getSpotRiskMicros)
                .asConstraint(SPOT_RISK);
    }

    Constraint spotPoolConcentration(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.getWorkload() != null
                        && p.getWorkload().getReplicas() > 1
                        && p.getNode().getSpotPool() != null)
                .groupBy(PodPlacement::getWorkload, p -> p.getNode().getSpotPool(), ConstraintCollectors.count())
                .filter((workload, pool, count) -> count > workload.getMaxPerSpotPool())
                .penalizeLong(
                        HardMediumSoftLongScore.ONE_SOFT,
                        (workload, pool, count) -> (count - workload.getMaxPerSpotPool()) * SOFT_EXCESS_MICROS)
                .asConstraint(SPOT_POOL_CONCENTRATION);
    }

    Constraint disruption(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(PodPlacement::isMoved)
                .penalizeLong(
                        HardMediumSoftLongScore.ONE_SOFT, p -> p.getRules().disruptionCostMicros())
                .asConstraint(DISRUPTION);
    }

    /** Headroom used is priced at the share of the node it takes: 5% of a $0.40/h node's CPU costs $0.02/h. */
    Constraint preferredNodeHeadroom(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> !p.getNode().isHeadroomHard() && !p.getNode().isHeadroomClusterWide())
                .groupBy(PodPlacement::getNode, new NodeLoadCollector())
                .filter((node, load) -> node.headroomShortfallMicros(load) > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, NodeSlot::headroomShortfallMicros)
                .asConstraint(PREFERRED_NODE_HEADROOM);
    }

    Constraint preferredNodeAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .expand(p -> p.getPod().affinity().preferredNodeAffinity())
                .flattenLast(items -> items)
                .filter((p, preference) ->
                        !preference.term().matches(p.getNode().getLabels()))
                .penalizeLong(
                        HardMediumSoftLongScore.ONE_SOFT,
                        (p, preference) -> preference.weight() * PREFERENCE_POINT_MICROS)
                .asConstraint(PREFERRED_NODE_AFFINITY);
    }
}
