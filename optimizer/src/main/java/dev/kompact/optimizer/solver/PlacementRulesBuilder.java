package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.domain.DisruptionCost;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PlacementRules;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.SpreadGroup;
import dev.kompact.optimizer.domain.Workload;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.DisruptionBudgets;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Works out each placement's {@link PlacementRules} from the whole snapshot. */
final class PlacementRulesBuilder {

    private final ClusterSnapshot snapshot;
    private final List<NodeSlot> slots;
    private final List<PodPlacement> placements;

    private final double savingsPerDisruption;

    PlacementRulesBuilder(
            ClusterSnapshot snapshot,
            List<NodeSlot> slots,
            List<PodPlacement> placements,
            double savingsPerDisruption) {
        this.snapshot = snapshot;
        this.slots = slots;
        this.placements = placements;
        this.savingsPerDisruption = savingsPerDisruption;
    }

    void apply() {
        Map<String, List<SpreadGroup>> groupsByLabel =
                spreadGroups().stream().collect(Collectors.groupingBy(SpreadGroup::firstLabel));
        DisruptionBudgets budgets = new DisruptionBudgets(snapshot.podDisruptionBudgets());
        Map<List<Object>, Long> picked = new HashMap<>();
        Map<String, Workload> workloads = workloads();
        long clusterCost =
                snapshot.nodes().stream().mapToLong(n -> n.pricePerHourMicros()).sum();
        int running = (int)
                placements.stream().filter(p -> p.getCurrentNode() != null).count();
        long restart = DisruptionCost.restartMicros(savingsPerDisruption, clusterCost, running);
        for (PodPlacement p : placements) {
            Pod pod = p.getPod();
            List<PodAffinityTerm> affinity = pod.affinity().requiredPodAffinity().stream()
                    .filter(term -> !isFirstOfItsKind(pod, term, picked))
                    .toList();
            List<SpreadGroup> counted = new ArrayList<>();
            for (String label : SpreadGroup.labelsOf(pod)) {
                groupsByLabel.getOrDefault(label, List.of()).stream()
                        .filter(g -> g.counts(pod))
                        .forEach(counted::add);
            }
            int allowed = budgets.covering(pod).stream()
                    .mapToInt(PodDisruptionBudget::disruptionsAllowed)
                    .min()
                    .orElse(Integer.MAX_VALUE);
            p.setRules(new PlacementRules(
                    affinity,
                    counted,
                    workloads.get(workloadId(pod)),
                    allowed,
                    DisruptionCost.of(pod, p.getMobility(), restart)));
        }
    }

    /**
     * A pod whose affinity picks only pods like itself may start alone, or no group could ever start. How many
     * pods a term picks is counted once per term and namespace: terms repeat across a workload's replicas.
     */
    private boolean isFirstOfItsKind(Pod pod, PodAffinityTerm term, Map<List<Object>, Long> picked) {
        if (!term.selects(pod, pod)) {
            return false;
        }
        long count = picked.computeIfAbsent(
                List.of(pod.namespace(), term),
                k -> snapshot.pods().stream()
                        .filter(other -> term.selects(pod, other))
                        .count());
        return count <= 1;
    }

    private List<SpreadGroup> spreadGroups() {
        Map<String, SpreadGroup> groups = new LinkedHashMap<>();
        for (PodPlacement p : placements) {
            Pod pod = p.getPod();
            for (TopologySpreadConstraint spread : pod.affinity().topologySpread()) {
                String id = pod.namespace() + "/" + spread;
                if (!groups.containsKey(id)) {
                    Set<String> eligibleZones = slots.stream()
                            .filter(s -> !s.isUnschedulable() && pod.acceptsNodeLabels(s.getLabels()))
                            .map(NodeSlot::getZone)
                            .collect(Collectors.toSet());
                    groups.put(
                            id,
                            new SpreadGroup(
                                    id,
                                    pod.namespace(),
                                    spread.selector(),
                                    spread.topologyKey(),
                                    spread.hard(),
                                    spread.maxSkew(),
                                    eligibleZones.size()));
                }
            }
        }
        return new ArrayList<>(groups.values());
    }

    private Map<String, Workload> workloads() {
        Map<String, Long> replicas = placements.stream()
                .map(p -> workloadId(p.getPod()))
                .filter(id -> id != null)
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        Map<String, Workload> workloads = new HashMap<>();
        replicas.forEach((id, count) -> workloads.put(id, new Workload(id, count.intValue(), (int)
                Math.max(1, Math.floor(count * ClusterPlacementFactory.MAX_SHARE_PER_SPOT_POOL)))));
        return workloads;
    }

    private static String workloadId(Pod pod) {
        return pod.owner() == null
                ? null
                : pod.namespace() + "/" + pod.owner().kind() + "/" + pod.owner().name();
    }
}
