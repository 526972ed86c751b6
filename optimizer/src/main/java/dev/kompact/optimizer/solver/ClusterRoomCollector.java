package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.function.TriFunction;
import ai.timefold.solver.core.api.score.stream.bi.BiConstraintCollector;
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

    /** The cluster's room after the plan: a hard shortfall in score units, a soft one in micro-dollars per hour. */
    record Room(ResourceIndex resources, long[] free, long[] reserve, long[] capacity, long priceMicros) {

        long shortfall() {
            long shortfall = 0;
            for (int i = 0; i < free.length; i++) {
                shortfall += resources.scoreUnits(i, shortfallOf(i));
            }
            return shortfall;
        }

        /** The share of the nodes' price that the missing room is worth, as a node's headroom is priced. */
        long shortfallMicros() {
            double share = 0;
            for (int i = 0; i < free.length; i++) {
                if (capacity[i] > 0) {
                    share = Math.max(share, (double) shortfallOf(i) / capacity[i]);
                }
            }
            return Math.round(priceMicros * share);
        }

        private long shortfallOf(int i) {
            return Math.max(0, reserve[i] - Math.max(free[i], 0));
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
        return sum ->
                new Room(sum.resources, sum.free.clone(), sum.reserve.clone(), sum.capacity.clone(), sum.priceMicros);
    }
}
