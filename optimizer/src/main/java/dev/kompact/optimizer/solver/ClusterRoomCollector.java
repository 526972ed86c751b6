package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.function.TriFunction;
import ai.timefold.solver.core.api.score.stream.bi.BiConstraintCollector;
import dev.kompact.optimizer.domain.HeadroomShortfall;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.ResourceIndex;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sums, over the nodes that hold pods, what their loads leave free, what a cluster-wide headroom keeps on them, their
 * capacity and their price, incrementally: each node's load added returns the undo that removes it.
 */
final class ClusterRoomCollector
        implements BiConstraintCollector<NodeSlot, long[], ClusterRoomCollector.Sum, ClusterRoomCollector.Room> {

    /**
     * The cluster's room after the plan: a hard shortfall in score units, a soft one in micro-dollars per hour. Its
     * {@code load} is the nodes' capacity less their free room, a node's free room counted from zero.
     */
    record Room(ResourceIndex resources, long[] load, long[] reserve, long[] capacity, long priceMicros) {

        long shortfall() {
            return HeadroomShortfall.units(resources, capacity, load, reserve);
        }

        /** The share of the nodes' price that the missing room is worth, as a node's headroom is priced. */
        long shortfallMicros() {
            return HeadroomShortfall.micros(capacity, load, reserve, priceMicros);
        }
    }

    static final class Sum {
        private ResourceIndex resources;
        private long[] free;
        private long[] reserve;
        private long[] capacity;
        private long priceMicros;

        private Runnable add(NodeSlot node, long[] load) {
            long[] nodeCapacity = node.getCapacity();
            long[] nodeReserve = node.getReserve();
            if (free == null) {
                resources = node.getResources();
                free = new long[nodeCapacity.length];
                reserve = new long[nodeCapacity.length];
                capacity = new long[nodeCapacity.length];
            }
            long[] nodeFree = new long[nodeCapacity.length];
            for (int i = 0; i < nodeCapacity.length; i++) {
                // what one node lacks is the capacity rule's to punish, not room another node's free share makes up
                nodeFree[i] = Math.max(0, nodeCapacity[i] - load[i]);
            }
            apply(nodeFree, nodeReserve, nodeCapacity, node.getPricePerHourMicros(), 1);
            return () -> apply(nodeFree, nodeReserve, nodeCapacity, node.getPricePerHourMicros(), -1);
        }

        private void apply(long[] nodeFree, long[] nodeReserve, long[] nodeCapacity, long price, int sign) {
            for (int i = 0; i < nodeFree.length; i++) {
                free[i] += sign * nodeFree[i];
                reserve[i] += sign * nodeReserve[i];
                capacity[i] += sign * nodeCapacity[i];
            }
            priceMicros += sign * price;
        }
    }

    @Override
    public Supplier<Sum> supplier() {
        return Sum::new;
    }

    @Override
    public TriFunction<Sum, NodeSlot, long[], Runnable> accumulator() {
        return Sum::add;
    }

    @Override
    public Function<Sum, Room> finisher() {
        return sum -> {
            long[] load = new long[sum.capacity.length];
            for (int i = 0; i < load.length; i++) {
                load[i] = sum.capacity[i] - sum.free[i];
            }
            return new Room(sum.resources, load, sum.reserve.clone(), sum.capacity.clone(), sum.priceMicros);
        };
    }
}
