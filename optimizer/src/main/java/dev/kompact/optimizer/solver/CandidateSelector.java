package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.domain.CandidateOffering;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Chooses which offerings become candidate node slots. Thousands of offerings would drown the search, so it keeps:
 * <ol>
 *   <li>the few general-purpose instance types (per capacity type) that would host all movable demand most cheaply
 *       on their own, in every zone: the shapes consolidation can replace nodes with;</li>
 *   <li>for each kind of pod no such type accepts (GPUs, selectors on instance types...), in each zone the cheapest
 *       offering that does, so that a pod that fits only on a new node can get one, and the one whose whole nodes
 *       would hold all such pods most cheaply, counting their GPUs too, so that they can be consolidated.</li>
 * </ol>
 * Slots per offering: enough to hold the demand they are for, up to {@link #MAX_SLOTS}; the cheapest general type
 * gets enough for its zone's share of all movable demand, the fleet repacks may move to.
 */
public final class CandidateSelector {

    static final int GENERAL_TYPES_PER_CAPACITY_TYPE = 4;
    static final int MAX_SLOTS = 6;
    static final int MAX_REPLACEMENT_SLOTS = 32;
    private static final double REPLACEMENT_HEADROOM = 1.25;
    private static final List<String> SHAPE = List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS);

    private final DaemonSetOverhead overhead;

    public CandidateSelector(DaemonSetOverhead overhead) {
        this.overhead = overhead;
    }

    public List<CandidateOffering> select(List<InstanceOffering> offerings, List<Pod> movablePods) {
        if (offerings.isEmpty() || movablePods.isEmpty()) {
            return List.of();
        }
        Map<InstanceOffering, ResourceList> capacity = new HashMap<>();
        offerings.forEach(o -> capacity.put(o, o.allocatable().minus(overhead.on(o.labels(), List.of()))));
        ResourceList demand = movablePods.stream()
                .map(p -> p.requests().with(ResourceNames.PODS, 1))
                .reduce(ResourceList.EMPTY, ResourceList::plus);

        Map<InstanceOffering, Integer> slots = new LinkedHashMap<>();
        List<InstanceOffering> general = general(offerings, capacity, demand);
        List<Object> cheapest = cheapestType(general, capacity, demand);
        general.forEach(o -> slots.put(
                o,
                cheapest.equals(typeOf(o))
                        ? replacementSlots(demand, capacity.get(o), general, o)
                        : slotsFor(demand, capacity.get(o))));

        Map<PodShape, List<Pod>> unserved = movablePods.stream()
                .filter(p -> general.stream().noneMatch(o -> accepts(o, capacity.get(o), p)))
                .collect(Collectors.groupingBy(PodShape::of, LinkedHashMap::new, Collectors.toList()));
        unserved.values().forEach(pods -> {
            ResourceList podsDemand = pods.stream()
                    .map(p -> p.requests().with(ResourceNames.PODS, 1))
                    .reduce(ResourceList.EMPTY, ResourceList::plus);
            Set<String> shape = new LinkedHashSet<>(SHAPE);
            podsDemand.amounts().keySet().stream()
                    .filter(ResourceNames::isAccelerator)
                    .forEach(shape::add);
            // the cheapest node for one pod, and the one that holds them all most cheaply: one GPU pod per
            // single-GPU node can only be consolidated onto nodes with several GPUs
            Set<InstanceOffering> chosen = new LinkedHashSet<>(
                    cheapestAcceptingPerZone(offerings, capacity, pods, o -> (double) o.pricePerHourMicros()));
            chosen.addAll(cheapestAcceptingPerZone(
                    offerings, capacity, pods, o -> wholeNodesToHost(podsDemand, o, capacity.get(o), shape)));
            chosen.forEach(o -> slots.merge(o, slotsFor(podsDemand, capacity.get(o), shape), Math::max));
        });
        List<CandidateOffering> candidates = new ArrayList<>();
        slots.forEach((o, n) -> candidates.add(new CandidateOffering(o, n)));
        return candidates;
    }

    private List<InstanceOffering> general(
            List<InstanceOffering> offerings, Map<InstanceOffering, ResourceList> cap, ResourceList demand) {
        Map<Object, List<InstanceOffering>> byTypeAndCapacity = offerings.stream()
                .filter(o -> !hasAccelerators(o) && hostsAll(cap.get(o)))
                .collect(Collectors.groupingBy(
                        o -> List.of(o.instanceType(), o.capacityType()), LinkedHashMap::new, Collectors.toList()));
        Set<InstanceOffering> chosen = new LinkedHashSet<>();
        byTypeAndCapacity.values().stream()
                // an EnumMap: a HashMap keyed by an enum iterates in identity-hash order, which differs between runs
                .collect(Collectors.groupingBy(
                        group -> group.get(0).capacityType(),
                        () -> new EnumMap<>(CapacityType.class),
                        Collectors.toList()))
                .values()
                .forEach(groups -> groups.stream()
                        .sorted(Comparator.comparingDouble(
                                        (List<InstanceOffering> g) -> costToHost(demand, g.get(0), cap.get(g.get(0))))
                                .thenComparing(g -> g.get(0).instanceType()))
                        .limit(GENERAL_TYPES_PER_CAPACITY_TYPE)
                        .forEach(chosen::addAll));
        return List.copyOf(chosen);
    }

    /** The instance type and capacity type that would hold all the demand most cheaply. */
    private static List<Object> cheapestType(
            List<InstanceOffering> general, Map<InstanceOffering, ResourceList> capacity, ResourceList demand) {
        return general.stream()
                .min(Comparator.comparingDouble((InstanceOffering o) -> costToHost(demand, o, capacity.get(o)))
                        .thenComparing(InstanceOffering::instanceType))
                .map(CandidateSelector::typeOf)
                .orElse(List.of());
    }

    private static List<Object> typeOf(InstanceOffering offering) {
        return List.of(offering.instanceType(), offering.capacityType());
    }

    /**
     * Slots enough for the zone's share of the whole demand, with headroom: the type a fleet would be replaced with,
     * one repack at a time. Only the cheapest type gets this many, and no more than {@link #MAX_REPLACEMENT_SLOTS},
     * so that random changes do not mostly land on empty slots.
     */
    private static int replacementSlots(
            ResourceList demand, ResourceList capacity, List<InstanceOffering> general, InstanceOffering offering) {
        long zones =
                general.stream().filter(o -> typeOf(o).equals(typeOf(offering))).count();
        double needed = Math.ceil(REPLACEMENT_HEADROOM * nodesNeeded(demand, capacity) / zones);
        return (int) Math.max(MAX_SLOTS, Math.min(MAX_REPLACEMENT_SLOTS, needed));
    }

    /** The bill if this offering alone held {@code demand}: nodes needed for the scarcest resource, times price. */
    private static double costToHost(ResourceList demand, InstanceOffering offering, ResourceList capacity) {
        return offering.pricePerHourMicros() * nodesNeeded(demand, capacity);
    }

    private static double nodesNeeded(ResourceList demand, ResourceList capacity) {
        return nodesNeeded(demand, capacity, SHAPE);
    }

    private static double nodesNeeded(ResourceList demand, ResourceList capacity, Collection<String> shape) {
        double needed = 0;
        for (String resource : shape) {
            needed = Math.max(needed, (double) demand.get(resource) / capacity.get(resource));
        }
        return needed;
    }

    /** The bill of whole nodes of this offering holding {@code demand}, counting every resource of the shape. */
    private static double wholeNodesToHost(
            ResourceList demand, InstanceOffering offering, ResourceList capacity, Collection<String> shape) {
        return offering.pricePerHourMicros() * Math.ceil(nodesNeeded(demand, capacity, shape));
    }

    private static int slotsFor(ResourceList demand, ResourceList capacity) {
        return slotsFor(demand, capacity, SHAPE);
    }

    private static int slotsFor(ResourceList demand, ResourceList capacity, Collection<String> shape) {
        return (int) Math.max(1, Math.min(MAX_SLOTS, Math.ceil(nodesNeeded(demand, capacity, shape))));
    }

    /**
     * Per zone, the offering accepting the largest of the pods that costs least by {@code cost}, so that a node of
     * such pods can be replaced where it is: repacks stay in their zone.
     */
    private List<InstanceOffering> cheapestAcceptingPerZone(
            List<InstanceOffering> offerings,
            Map<InstanceOffering, ResourceList> capacity,
            List<Pod> pods,
            ToDoubleFunction<InstanceOffering> cost) {
        Pod largest = pods.stream()
                .max(Comparator.comparingLong((Pod p) -> p.requests().get(ResourceNames.CPU))
                        .thenComparingLong(p -> p.requests().get(ResourceNames.MEMORY)))
                .orElseThrow();
        return offerings.stream()
                .filter(o -> accepts(o, capacity.get(o), largest))
                .collect(Collectors.groupingBy(
                        InstanceOffering::zone,
                        TreeMap::new,
                        Collectors.minBy(
                                Comparator.comparingDouble(cost).thenComparing(InstanceOffering::instanceType))))
                .values()
                .stream()
                .flatMap(Optional::stream)
                .toList();
    }

    private static boolean accepts(InstanceOffering offering, ResourceList capacity, Pod pod) {
        if (!pod.acceptsNodeLabels(offering.labels())) {
            return false;
        }
        ResourceList demand = pod.requests().with(ResourceNames.PODS, 1);
        return demand.amounts().entrySet().stream().allMatch(e -> e.getValue() <= capacity.get(e.getKey()));
    }

    private static boolean hostsAll(ResourceList capacity) {
        return SHAPE.stream().allMatch(r -> capacity.get(r) > 0);
    }

    private static boolean hasAccelerators(InstanceOffering offering) {
        return offering.allocatable().amounts().keySet().stream().anyMatch(ResourceNames::isAccelerator);
    }

    /** Pods the same offerings accept: same selectors, affinity and kinds of resource. */
    private record PodShape(Map<String, String> nodeSelector, Object affinity, Set<String> resources) {
        static PodShape of(Pod pod) {
            return new PodShape(
                    pod.nodeSelector(),
                    pod.requiredNodeAffinity(),
                    pod.requests().amounts().keySet());
        }
    }
}
