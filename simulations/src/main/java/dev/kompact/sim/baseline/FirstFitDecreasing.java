package dev.kompact.sim.baseline;

import dev.kompact.optimizer.greedy.Simulation;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * First-fit decreasing, the textbook bin-packing heuristic (Johnson, 1973), repacking the cluster from scratch:
 * <ol>
 *   <li>Nodes that must stay — holding a pinned pod ({@link MobilityRules}) or annotated to be kept — are the first
 *       bins, their pinned pods where they are.</li>
 *   <li>Every other running pod, largest first (GPUs, then CPU, then memory), goes on the first bin the scheduler
 *       admits it to; when none does, a node is bought from the offering that is cheapest per unit of capacity for
 *       the pods being packed (price over how much of their total CPU, memory and pod demand it holds), trying the
 *       next offering when the scheduler refuses the pod there (zone, spread).</li>
 *   <li>Existing nodes left without pods are removed.</li>
 * </ol>
 * It is blind to what moving costs: nearly every pod moves. Pending pods stay pending.
 */
public final class FirstFitDecreasing implements BaselinePolicy {

    @Override
    public String name() {
        return "First-fit decreasing";
    }

    @Override
    public BaselineResult run(ClusterSnapshot snapshot) {
        long start = System.nanoTime();
        Simulation simulation = new Simulation(snapshot, "ffd");
        Map<String, Node> nodes = new LinkedHashMap<>();
        snapshot.nodes().forEach(n -> nodes.put(n.name(), n));

        List<String> bins = new ArrayList<>();
        List<Pod> movable = new ArrayList<>();
        for (Node node : snapshot.nodes()) {
            List<Pod> pods = simulation.workloadOn(node.name());
            boolean holdsPinned = pods.stream().anyMatch(p -> MobilityRules.classify(p, node) == Mobility.PINNED);
            if (holdsPinned || MobilityRules.isKept(node)) {
                bins.add(node.name());
            }
            pods.stream()
                    .filter(p -> MobilityRules.classify(p, node) != Mobility.PINNED)
                    .forEach(movable::add);
        }
        movable.forEach(simulation::unplace);
        movable.sort(Comparator.comparingLong((Pod p) -> p.requests().get(ResourceNames.NVIDIA_GPU))
                .thenComparingLong(p -> p.requests().get(ResourceNames.CPU))
                .thenComparingLong(p -> p.requests().get(ResourceNames.MEMORY))
                .thenComparing(Pod::key)
                .reversed());
        List<InstanceOffering> offerings = byPricePerCapacity(snapshot.offerings(), movable);

        for (Pod pod : movable) {
            Optional<String> bin = simulation.firstAdmitting(pod, bins, Set.of());
            if (bin.isPresent()) {
                simulation.move(pod, bin.get());
                continue;
            }
            Optional<String> opened = offerings.stream()
                    .map(o -> simulation.open(o, List.of(pod)))
                    .flatMap(Optional::stream)
                    .findFirst();
            if (opened.isPresent()) {
                bins.add(opened.get());
            } else if (simulation.state().whyNot(pod, pod.nodeName()).isEmpty()) {
                // no offering takes it (e.g. a selector on a node label no offering carries): back where it was
                simulation.move(pod, pod.nodeName());
                bins.add(pod.nodeName());
            }
        }
        simulation.commit();
        for (Node node : nodes.values()) {
            if (simulation.workloadOn(node.name()).isEmpty() && !bins.contains(node.name())) {
                simulation.removeNode(node.name());
            }
        }
        return BaselineResult.of(name(), snapshot, simulation.committed(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Cheapest first per unit of the pods' demand vector an offering holds; ties to the cheaper node. */
    private static List<InstanceOffering> byPricePerCapacity(List<InstanceOffering> offerings, List<Pod> pods) {
        ResourceList demand = pods.stream()
                .map(p -> p.requests().with(ResourceNames.PODS, 1))
                .reduce(ResourceList.EMPTY, ResourceList::plus);
        Map<InstanceOffering, Double> pricePerUnit = new HashMap<>();
        for (InstanceOffering offering : offerings) {
            double units = Double.MAX_VALUE;
            for (String resource : List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS)) {
                if (demand.get(resource) > 0) {
                    units = Math.min(units, (double) offering.allocatable().get(resource) / demand.get(resource));
                }
            }
            pricePerUnit.put(offering, units > 0 ? offering.pricePerHourMicros() / units : Double.MAX_VALUE);
        }
        return offerings.stream()
                .sorted(Comparator.comparingDouble((InstanceOffering o) -> pricePerUnit.get(o))
                        .thenComparingLong(InstanceOffering::pricePerHourMicros)
                        .thenComparing(InstanceOffering::instanceType)
                        .thenComparing(InstanceOffering::zone))
                .toList();
    }
}
