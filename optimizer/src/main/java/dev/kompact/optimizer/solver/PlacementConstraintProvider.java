package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;

/**
 * Hard: what Kubernetes would refuse. Medium: pods left without a node. Soft: money per hour (micro-dollars) of
 * every node that holds a pod, then one unit per moved pod so that, at equal cost, fewer moves win.
 */
public class PlacementConstraintProvider implements ConstraintProvider {

    public static final String NODE_RESOURCE_CAPACITY = "Node resource capacity";
    public static final String NODE_SELECTOR_AND_AFFINITY = "Node selector and required node affinity";
    public static final String TAINTS_TOLERATED = "Taints tolerated";
    public static final String UNSCHEDULABLE_NODE = "Nothing new on an unschedulable node";
    public static final String RUNNING_POD_KEEPS_A_NODE = "Running pod keeps a node";
    public static final String UNPLACED_POD = "Unplaced pod";
    public static final String NODE_COST = "Node cost";
    public static final String POD_MOVE = "Pod move";

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            // Hard
            nodeResourceCapacity(factory),
            nodeSelectorAndAffinity(factory),
            taintsTolerated(factory),
            unschedulableNode(factory),
            runningPodKeepsANode(factory),
            // Medium
            unplacedPod(factory),
            // Soft
            nodeCost(factory),
            podMove(factory)
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
                .filter(p -> p.isArriving() && !p.getPod().acceptsNodeLabels(p.getNode().getLabels()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(NODE_SELECTOR_AND_AFFINITY);
    }

    Constraint taintsTolerated(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.isArriving() && !p.getPod().toleratesAll(p.getNode().getTaints()))
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

    Constraint nodeCost(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .groupBy(PodPlacement::getNode)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, NodeSlot::getPricePerHourMicros)
                .asConstraint(NODE_COST);
    }

    Constraint podMove(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(PodPlacement::isMoved)
                .penalize(HardMediumSoftLongScore.ONE_SOFT)
                .asConstraint(POD_MOVE);
    }
}
