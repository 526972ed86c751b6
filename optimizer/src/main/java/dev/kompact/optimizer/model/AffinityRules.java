package dev.kompact.optimizer.model;

import java.util.List;

/** A pod's rules about other pods and its preferences about nodes; required rules are hard, preferred soft. */
public record AffinityRules(
        List<PreferredNodeTerm> preferredNodeAffinity,
        List<PodAffinityTerm> requiredPodAffinity,
        List<PodAffinityTerm> requiredPodAntiAffinity,
        List<WeightedPodAffinityTerm> preferredPodAffinity,
        List<WeightedPodAffinityTerm> preferredPodAntiAffinity,
        List<TopologySpreadConstraint> topologySpread) {

    public static final AffinityRules NONE =
            new AffinityRules(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public AffinityRules {
        preferredNodeAffinity = List.copyOf(preferredNodeAffinity);
        requiredPodAffinity = List.copyOf(requiredPodAffinity);
        requiredPodAntiAffinity = List.copyOf(requiredPodAntiAffinity);
        preferredPodAffinity = List.copyOf(preferredPodAffinity);
        preferredPodAntiAffinity = List.copyOf(preferredPodAntiAffinity);
        topologySpread = List.copyOf(topologySpread);
    }
}
