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
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A cost no valid plan placing the same pods can beat. Nodes holding a pod that may not leave (pinned, or a restart
 * its exhausted disruption budget forbids), or marked to be kept, stay: their price is paid and their capacity is
 * free. Beyond them, bin packing is relaxed in up to three ways, each a bound on its own, and the highest is taken:
 * {@link ClassPricing} (each class of pods at its cheapest price per unit), {@link CoveringProgram} (a linear program
 * buying every resource at once, fluid) and, given time, {@link PatternProgram} (the same over whole nodes, each
 * holding whole pods).
 */
public final class LowerBound {

    private LowerBound() {}

    /** The fluid bounds only: what a caller with no time to spare gets. */
    public static LowerBoundEstimate of(
            ClusterPlacement solution,
            Collection<InstanceOffering> offerings,
            DaemonSetOverhead overhead,
            long planCostMicros) {
        long now = System.nanoTime();
        return of(solution, offerings, overhead, planCostMicros, () -> now, fluid -> {});
    }

    /**
     * Also the bound over whole nodes ({@link PatternProgram}), tightened until {@code deadlineNanos}
     * ({@link System#nanoTime()}, read again as it goes, so that a caller may bring it forward). {@code fluid} is
     * told the fluid bounds first: they come in a fraction of the time, and a search may stop near them.
     */
    public static LowerBoundEstimate of(
            ClusterPlacement solution,
            Collection<InstanceOffering> offerings,
            DaemonSetOverhead overhead,
            long planCostMicros,
            LongSupplier deadlineNanos,
            Consumer<LowerBoundEstimate> fluid) {
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
        List<PodClass> podClasses = new ArrayList<>();
        List<long[]> podDemands = new ArrayList<>();
        for (PodPlacement p : solution.getPlacements()) {
            if (p.getNode() != null) {
                PodClass podClass = classOf(p);
                long[] demand = demandByClass.computeIfAbsent(podClass, c -> new long[resources.size()]);
                for (int r = 0; r < demand.length; r++) {
                    demand[r] += p.getDemand()[r];
                }
                podClasses.add(podClass);
                podDemands.add(p.getDemand());
            }
        }

        Relaxation perClass = ClassPricing.of(sources, demandByClass, resources);
        Relaxation covering = CoveringProgram.of(sources, demandByClass, resources);
        Relaxation best = covering.costMicros() >= perClass.costMicros() ? covering : perClass;
        fluid.accept(LowerBoundEstimate.of(keptCost + best.costMicros(), planCostMicros, best.limitedBy()));
        if (System.nanoTime() < deadlineNanos.getAsLong()) {
            long whole = PatternProgram.of(sources, podClasses, podDemands, deadlineNanos);
            if (whole > best.costMicros()) {
                best = new Relaxation(whole, covering.limitedBy() + " in whole nodes");
            }
        }
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
