package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What else a planned node may be bought as when EC2 cannot fill its own offering. An alternative, among the
 * snapshot's offerings:
 * <ol>
 *   <li>has the planned capacity type: the pods' spot tolerance and the plan's spot pool spread were judged for
 *       it;</li>
 *   <li>offers at least the planned allocatable of every resource, so the pods placed there still fit;</li>
 *   <li>carries labels every pod placed there accepts (node selector, required node affinity);</li>
 *   <li>lies in the planned zone if any pod placed there is tied to zones (a zonal volume, required pod affinity or
 *       anti-affinity, topology spread), since moving it could break those rules;</li>
 *   <li>costs at most the planned price plus this node's share of the plan's saving, so the plan still saves.</li>
 * </ol>
 * Cheapest first, at most {@link #MAX}: each is one more CreateFleet call before the launch gives up.
 */
public final class AcceptableOfferings {

    static final int MAX = 4;

    private AcceptableOfferings() {}

    /** {@code savedMicros}: the plan's saving per hour, shared by its {@code addedNodes}. */
    public static List<Alternative> of(
            AddedNode added, List<PodMove> moves, long savedMicros, int addedNodes, ClusterSnapshot snapshot) {
        CapacityType capacityType = added.capacityType();
        Optional<InstanceOffering> planned = snapshot.offerings().stream()
                .filter(o -> o.instanceType().equals(added.instanceType())
                        && o.zone().equals(added.zone())
                        && o.capacityType() == capacityType)
                .findFirst();
        if (planned.isEmpty()) {
            return List.of();
        }
        Map<PodKey, Pod> pods = snapshot.pods().stream().collect(Collectors.toMap(Pod::key, Function.identity()));
        List<Pod> placed = moves.stream()
                .filter(m -> added.name().equals(m.to()))
                .map(m -> pods.get(m.pod()))
                .filter(p -> p != null)
                .toList();
        boolean zoneBound = placed.stream().anyMatch(AcceptableOfferings::zoneBound);
        long maxPrice = planned.get().pricePerHourMicros() + Math.max(0, savedMicros) / Math.max(1, addedNodes);
        return snapshot.offerings().stream()
                .filter(o -> o != planned.get() && o.capacityType() == capacityType)
                .filter(o -> !(o.instanceType().equals(added.instanceType())
                        && o.zone().equals(added.zone())))
                .filter(o -> !zoneBound || o.zone().equals(added.zone()))
                .filter(o -> o.pricePerHourMicros() <= maxPrice)
                .filter(o -> atLeast(o, planned.get()))
                .filter(o -> placed.stream().allMatch(p -> p.acceptsNodeLabels(o.labels())))
                .sorted(Comparator.comparingLong(InstanceOffering::pricePerHourMicros)
                        .thenComparing(o -> !o.zone().equals(added.zone()))
                        .thenComparing(InstanceOffering::instanceType)
                        .thenComparing(InstanceOffering::zone))
                .limit(MAX)
                .map(o -> new Alternative(o.instanceType(), o.zone()))
                .toList();
    }

    private static boolean zoneBound(Pod pod) {
        return pod.volumeZone() != null
                || !pod.affinity().requiredPodAffinity().isEmpty()
                || !pod.affinity().requiredPodAntiAffinity().isEmpty()
                || !pod.affinity().topologySpread().isEmpty();
    }

    private static boolean atLeast(InstanceOffering candidate, InstanceOffering planned) {
        return planned.allocatable().amounts().entrySet().stream()
                .allMatch(e -> candidate.allocatable().get(e.getKey()) >= e.getValue());
    }
}
