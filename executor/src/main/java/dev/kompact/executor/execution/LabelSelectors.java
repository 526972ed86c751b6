package dev.kompact.executor.execution;

import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.SelectorRequirement;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fabric8 label selector judged by the optimizer's own selector, so that the executor and the planner agree on
 * which pods a budget covers. A null selector matches nothing, as for PodDisruptionBudgets, and so does one using
 * an operator label selectors do not allow.
 */
final class LabelSelectors {

    private static final Set<String> LABEL_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectors() {}

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        List<SelectorRequirement> requirements = new ArrayList<>();
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!LABEL_OPERATORS.contains(r.getOperator())) {
                    return false;
                }
                requirements.add(new SelectorRequirement(
                        r.getKey(),
                        SelectorOperator.valueOf(r.getOperator()),
                        r.getValues() == null ? List.of() : r.getValues()));
            }
        }
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return new dev.kompact.optimizer.model.LabelSelector(matchLabels, requirements)
                .matches(labels == null ? Map.of() : labels);
    }
}
