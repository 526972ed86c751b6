package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Map;

/** A Kubernetes label selector: every {@code matchLabels} entry and every expression must hold. */
public record LabelSelector(Map<String, String> matchLabels, List<SelectorRequirement> matchExpressions) {

    /** What an absent selector means in an affinity term or spread constraint: no pod at all. */
    public static final LabelSelector NOTHING =
            new LabelSelector(Map.of(), List.of(new SelectorRequirement("", SelectorOperator.In, List.of())));

    public LabelSelector {
        matchLabels = Map.copyOf(matchLabels);
        matchExpressions = List.copyOf(matchExpressions);
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (SelectorRequirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
