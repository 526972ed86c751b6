package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.ResourceIndex;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cost no valid plan placing the same pods can beat. Nodes holding a pod that may not leave (pinned, or a restart
 * its exhausted disruption budget forbids), or marked to be kept, stay: their price is paid and their capacity is
 * free. Beyond them, bin packing is relaxed to fluid resources in two ways, each a bound on its own, and the higher
 * is taken: {@link ClassPricing} (each class of pods at its cheapest price per unit) and {@link CoveringProgram} (a
 * linear program buying every resource at once).
 */
public final class LowerBound {

    private LowerBound() {}

    public static LowerBoundEstimate of(
            ClusterPlacement solution,
            Collection<InstanceOffering> offerings,
            DaemonSetOverhead overhead,
            long planCostMicros) {
        ResourceIndex resources = solution.getResources();
        Set<NodeSlot> kept = paidFor(solution);
        long keptCost = paidForMicros(solution);

        List<BoundSource> sources = new ArrayList<>();
        for (NodeSlot slot : solution.getNodes()) {
            if (slot.isExisting()) {
                sources.add(new BoundSource(
                        slot.getLabels(),
                        slot.getTaints(),
                        slot.getZone(),
                        slot.getPricePerHourMicros(),
                        slot.getCapacity(),
                        1,
                        kept.contains(slot)));
            }
        }
        for (InstanceOffering offering : offerings) {
            ResourceList capacity = offering.allocatable().minus(overhead.on(offering.labels(), List.of()));
            sources.add(new BoundSource(
                    offering.labels(),
                    List.of(),
                    offering.zone(),
                    offering.pricePerHourMicros(),
                    resources.vector(capacity),
                    BoundSource.UNLIMITED,
                    false));
        }

        Map<PodClass, long[]> demandByClass = new LinkedHashMap<>();
        for (PodPlacement p : solution.getPlacements()) {
            if (p.getNode() != null) {
                long[] demand = demandByClass.computeIfAbsent(classOf(p), c -> new long[resources.size()]);
                for (int r = 0; r < demand.length; r++) {
                    demand[r] += p.getDemand()[r];
                }
            }
        }

        Relaxation perClass = ClassPricing.of(sources, demandByClass, resources);
        Relaxation covering = CoveringProgram.of(sources, demandByClass, resources);
        Relaxation best = covering.costMicros() >= perClass.costMicros() ? covering : perClass;
        long bound = keptCost + best.costMicros();
        return LowerBoundEstimate.of(bound, planCostMicros, best.limitedBy());
    }

    /** What every plan pays: the nodes to be kept, and the nodes holding a pod that may not leave. */
    public static long paidForMicros(ClusterPlacement solution) {
        return paidFor(solution).stream()
                .mapToLong(NodeSlot::getPricePerHourMicros)
                .sum();
    }

    private static Set<NodeSlot> paidFor(ClusterPlacement solution) {
        Set<NodeSlot> kept = new HashSet<>();
        solution.getNodes().stream().filter(NodeSlot::isKept).forEach(kept::add);
        solution.getPlacements().stream().filter(PodPlacement::isHeld).forEach(p -> kept.add(p.getCurrentNode()));
        return kept;
    }

    private static PodClass classOf(PodPlacement placement) {
        PodClass podClass = PodClass.of(placement.getPod());
        NodeSlot current = placement.getCurrentNode();
        boolean stranded =
                current != null && !podClass.accepts(current.getLabels(), current.getTaints(), current.getZone());
        return stranded ? PodClass.ANYWHERE : podClass;
    }
}
