package dev.kompact.optimizer.domain;

import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.WeightedPodAffinityTerm;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A placement's affinity terms grouped by topology key once, because the constraints read them each time the pod
 * moves: filtering the pod's term lists there allocated on the solver's hottest path.
 */
record TopologyTerms(
        Map<String, List<PodAffinityTerm>> requiredAntiAffinity,
        Map<String, List<PodAffinityTerm>> requiredAffinity,
        Map<String, List<WeightedPodAffinityTerm>> preferredAffinity,
        Map<String, List<WeightedPodAffinityTerm>> preferredAntiAffinity) {

    static TopologyTerms of(Pod pod, PlacementRules rules) {
        return new TopologyTerms(
                byKey(pod.affinity().requiredPodAntiAffinity(), PodAffinityTerm::topologyKey),
                byKey(rules.requiredPodAffinity(), PodAffinityTerm::topologyKey),
                byKey(pod.affinity().preferredPodAffinity(), t -> t.term().topologyKey()),
                byKey(pod.affinity().preferredPodAntiAffinity(), t -> t.term().topologyKey()));
    }

    private static <T> Map<String, List<T>> byKey(List<T> terms, Function<T, String> topologyKey) {
        return terms.stream().collect(Collectors.groupingBy(topologyKey, Collectors.toUnmodifiableList()));
    }
}
