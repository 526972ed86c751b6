package dev.kompact.sim.packing.peer;

import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import java.util.List;

/**
 * Hard: no node holds more than its capacity of any resource, penalized by the units over. Soft: the price of every
 * node in use. Nothing else: this is the plain model anyone would write first.
 */
public class PeerConstraints implements ConstraintProvider {

    public static final String CAPACITY = "Capacity";
    public static final String NODE_COST = "Node cost";
    private static final List<String> RESOURCES = List.of("cpu", "memory (MiB)", "pods", "GPUs");

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            // Hard
            capacity(factory, 0),
            capacity(factory, 1),
            capacity(factory, 2),
            capacity(factory, 3),
            // Soft
            nodeCost(factory)
        };
    }

    Constraint capacity(ConstraintFactory factory, int resource) {
        return factory.forEach(PeerPod.class)
                .groupBy(PeerPod::getNode, ConstraintCollectors.sumLong(p -> p.demand(resource)))
                .filter((node, demand) -> demand > node.capacity()[resource])
                .penalizeLong(HardSoftLongScore.ONE_HARD, (node, demand) -> demand - node.capacity()[resource])
                .asConstraint(CAPACITY + " " + RESOURCES.get(resource));
    }

    Constraint nodeCost(ConstraintFactory factory) {
        return factory.forEach(PeerPod.class)
                .groupBy(PeerPod::getNode)
                .penalizeLong(HardSoftLongScore.ONE_SOFT, PeerNode::pricePerHourMicros)
                .asConstraint(NODE_COST);
    }
}
