package dev.kompact.optimizer.domain;

import dev.kompact.optimizer.model.PodAffinityTerm;
import java.util.List;

/**
 * What the problem as a whole says about one pod: its required pod affinity terms (less those it may ignore as the
 * first of its kind), the spread groups that count it, its workload, the disruptions its budgets still allow, and
 * what moving it costs.
 */
public record PlacementRules(
        List<PodAffinityTerm> requiredPodAffinity,
        List<SpreadGroup> spreadGroups,
        Workload workload,
        int disruptionsAllowed,
        long disruptionCostMicros) {

    public static final PlacementRules NONE =
            new PlacementRules(List.of(), List.of(), null, Integer.MAX_VALUE, DisruptionCost.MIN_RESTART_MICROS);

    public PlacementRules {
        requiredPodAffinity = List.copyOf(requiredPodAffinity);
        spreadGroups = List.copyOf(spreadGroups);
    }
}
