package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.solver.ClusterPlacement;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import dev.kompact.optimizer.solver.NodeSlot;
import dev.kompact.optimizer.solver.PodPlacement;
import dev.kompact.optimizer.solver.ResourceIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A cost no valid plan placing the same pods can beat, by relaxing bin packing to fluid resources:
 * <ol>
 *   <li>nodes holding a pinned pod, or marked to be kept, stay: their price is paid and their capacity is free;</li>
 *   <li>pods fall into classes by what they accept (selectors, affinity, tolerations, volume zone); each class's
 *       demand of a resource costs at least the cheapest price per unit among the other nodes and offerings that
 *       class accepts (after DaemonSet overhead);</li>
 *   <li>the kept nodes' capacity absorbs demand, the dearest classes first, as if any class could use it — a
 *       relaxation, so the bound stays a bound;</li>
 *   <li>per resource, the rest is bought at its class price; the bound is the kept cost plus the dearest of those
 *       per-resource bills.</li>
 * </ol>
 */
public final class LowerBound {

    private LowerBound() {
    }

    public static LowerBoundEstimate of(ClusterPlacement solution, Collection<InstanceOffering> offerings,
            DaemonSetOverhead overhead, long planCostMicros) {
        ResourceIndex resources = solution.getResources();
        Set<NodeSlot> kept = new HashSet<>();
        solution.getNodes().stream().filter(NodeSlot::isKept).forEach(kept::add);
        solution.getPlacements().stream().filter(PodPlacement::isPinned).forEach(p -> kept.add(p.getCurrentNode()));
        long keptCost = 0;
        long[] keptCapacity = new long[resources.size()];
        for (NodeSlot slot : kept) {
            keptCost += slot.getPricePerHourMicros();
            add(keptCapacity, slot.getCapacity());
        }

        List<Source> sources = new ArrayList<>();
        for (NodeSlot slot : solution.getNodes()) {
            if (slot.isExisting() && !kept.contains(slot) && !slot.isUnschedulable()) {
                sources.add(new Source(slot.getLabels(), slot.getTaints(), slot.getZone(),
                        slot.getPricePerHourMicros(), slot.getCapacity()));
            }
        }
        for (InstanceOffering offering : offerings) {
            ResourceList capacity = offering.allocatable().minus(overhead.on(offering.labels(), List.of()));
            sources.add(new Source(offering.labels(), List.of(), offering.zone(), offering.pricePerHourMicros(),
                    resources.vector(capacity)));
        }

        Map<PodClass, long[]> demandByClass = new LinkedHashMap<>();
        for (PodPlacement p : solution.getPlacements()) {
            if (p.getNode() != null) {
                add(demandByClass.computeIfAbsent(PodClass.of(p.getPod()), c -> new long[resources.size()]),
                        p.getDemand());
            }
        }
        Map<PodClass, double[]> unitPrice = new LinkedHashMap<>();
        demandByClass.keySet().forEach(c -> unitPrice.put(c, cheapestUnitPrices(c, sources, resources.size())));

        long extra = 0;
        String limiting = "kept nodes";
        for (int r = 0; r < resources.size(); r++) {
            int resource = r;
            List<PodClass> dearestFirst = new ArrayList<>(demandByClass.keySet());
            dearestFirst.sort(Comparator.comparingDouble((PodClass c) -> unitPrice.get(c)[resource]).reversed());
            long free = keptCapacity[r];
            double bill = 0;
            for (PodClass c : dearestFirst) {
                long demand = demandByClass.get(c)[r];
                long absorbed = Math.min(free, demand);
                free -= absorbed;
                double price = unitPrice.get(c)[r];
                if (demand > absorbed && price < Double.POSITIVE_INFINITY) {
                    bill += (demand - absorbed) * price;
                }
            }
            long rounded = (long) Math.ceil(bill);
            if (rounded > extra) {
                extra = rounded;
                limiting = resources.name(r);
            }
        }
        long bound = keptCost + extra;
        double gap = bound == 0 ? 0 : Math.round(10_000.0 * (planCostMicros - bound) / bound) / 10_000.0;
        return new LowerBoundEstimate(Cost.ofMicros(bound), gap, limiting);
    }

    private static double[] cheapestUnitPrices(PodClass podClass, List<Source> sources, int size) {
        double[] unitPrice = new double[size];
        Arrays.fill(unitPrice, Double.POSITIVE_INFINITY);
        for (Source source : sources) {
            if (!podClass.accepts(source)) {
                continue;
            }
            for (int i = 0; i < size; i++) {
                if (source.capacity()[i] > 0) {
                    unitPrice[i] = Math.min(unitPrice[i], (double) source.price() / source.capacity()[i]);
                }
            }
        }
        return unitPrice;
    }

    private static void add(long[] total, long[] amounts) {
        for (int i = 0; i < total.length; i++) {
            total[i] += amounts[i];
        }
    }

    private record Source(Map<String, String> labels, List<Taint> taints, String zone, long price, long[] capacity) {
    }

    /** Pods that accept the same nodes: one representative pod stands for them all. */
    private record PodClass(Object selectors, Object tolerations, String volumeZone, Pod representative) {

        static PodClass of(Pod pod) {
            return new PodClass(List.of(pod.nodeSelector(), pod.requiredNodeAffinity()), pod.tolerations(),
                    pod.volumeZone(), pod);
        }

        boolean accepts(Source source) {
            return representative.acceptsNodeLabels(source.labels()) && representative.toleratesAll(source.taints())
                    && (volumeZone == null || volumeZone.equals(source.zone()));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PodClass other && selectors.equals(other.selectors)
                    && tolerations.equals(other.tolerations) && Objects.equals(volumeZone, other.volumeZone);
        }

        @Override
        public int hashCode() {
            return Objects.hash(selectors, tolerations, volumeZone);
        }
    }
}
