package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Map;

/** Requirements that must all hold; a pod's required node affinity holds when any of its terms does. */
public record NodeSelectorTerm(List<SelectorRequirement> matchExpressions) {

    public NodeSelectorTerm {
        matchExpressions = List.copyOf(matchExpressions);
    }

    public boolean matches(Map<String, String> labels) {
        return matchExpressions.stream().allMatch(r -> r.matches(labels));
    }
}
