package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.solver.ClusterPlacement;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import dev.kompact.optimizer.solver.NodeSlot;
import dev.kompact.optimizer.solver.PodPlacement;
import dev.kompact.optimizer.solver.ResourceIndex;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A cost no valid plan placing the same pods can beat, by relaxing bin packing to fluid resources:
 * <ol>
 *   <li>nodes holding a pinned pod are kept: their price is paid and their capacity is free to use;</li>
 *   <li>for each resource, the demand those nodes cannot absorb is bought at the cheapest price per unit among the
 *       other nodes and every offering (after DaemonSet overhead);</li>
 *   <li>the bound is the kept cost plus the dearest of those per-resource bills.</li>
 * </ol>
 */
public final class LowerBound {

    private LowerBound() {
    }

    public static LowerBoundEstimate of(ClusterPlacement solution, Collection<InstanceOffering> offerings,
            DaemonSetOverhead overhead, long planCostMicros) {
        ResourceIndex resources = solution.getResources();
        Set<NodeSlot> kept = new HashSet<>();
        long[] demand = new long[resources.size()];
        for (PodPlacement p : solution.getPlacements()) {
            if (p.isPinned()) {
                kept.add(p.getCurrentNode());
            }
            if (p.getNode() != null) {
                add(demand, p.getDemand());
            }
        }
        long keptCost = 0;
        long[] keptCapacity = new long[resources.size()];
        for (NodeSlot slot : kept) {
            keptCost += slot.getPricePerHourMicros();
            add(keptCapacity, slot.getCapacity());
        }
        double[] unitPrice = new double[resources.size()];
        Arrays.fill(unitPrice, Double.POSITIVE_INFINITY);
        for (NodeSlot slot : solution.getNodes()) {
            if (slot.isExisting() && !kept.contains(slot)) {
                cheapen(unitPrice, slot.getPricePerHourMicros(), slot.getCapacity());
            }
        }
        for (InstanceOffering offering : offerings) {
            ResourceList capacity = offering.allocatable().minus(overhead.on(offering.labels(), List.of()));
            cheapen(unitPrice, offering.pricePerHourMicros(), resources.vector(capacity));
        }
        long extra = 0;
        String limiting = "pinned nodes";
        for (int i = 0; i < demand.length; i++) {
            long uncovered = demand[i] - keptCapacity[i];
            if (uncovered > 0 && unitPrice[i] < Double.POSITIVE_INFINITY) {
                long bill = (long) Math.ceil(uncovered * unitPrice[i]);
                if (bill > extra) {
                    extra = bill;
                    limiting = resources.name(i);
                }
            }
        }
        long bound = keptCost + extra;
        double gap = bound == 0 ? 0 : Math.round(10_000.0 * (planCostMicros - bound) / bound) / 10_000.0;
        return new LowerBoundEstimate(Cost.ofMicros(bound), gap, limiting);
    }

    private static void cheapen(double[] unitPrice, long price, long[] capacity) {
        for (int i = 0; i < unitPrice.length; i++) {
            if (capacity[i] > 0) {
                unitPrice[i] = Math.min(unitPrice[i], (double) price / capacity[i]);
            }
        }
    }

    private static void add(long[] total, long[] amounts) {
        for (int i = 0; i < total.length; i++) {
            total[i] += amounts[i];
        }
    }
}
