package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisruptionBudgetsTest {

    private static final PodDisruptionBudget WEB =
            budget("shop", "web", new LabelSelector(Map.of("app", "web", "tier", "front"), List.of()));
    private static final PodDisruptionBudget TIERED = budget(
            "shop",
            "tiered",
            new LabelSelector(Map.of(), List.of(new SelectorRequirement("tier", SelectorOperator.Exists, List.of()))));
    private static final PodDisruptionBudget OTHER_NAMESPACE =
            budget("blog", "web", new LabelSelector(Map.of("app", "web"), List.of()));

    private final DisruptionBudgets budgets = new DisruptionBudgets(List.of(TIERED, WEB, OTHER_NAMESPACE));

    @Test
    void findsBudgetsSelectingByLabelsOrByExpressionsInTheClustersOrder() {
        assertThat(budgets.covering(pod("shop", Map.of("app", "web", "tier", "front"))))
                .containsExactly(TIERED, WEB);
    }

    @Test
    void skipsBudgetWhoseOtherLabelsDoNotMatch() {
        assertThat(budgets.covering(pod("shop", Map.of("app", "web", "tier", "back"))))
                .containsExactly(TIERED);
    }

    @Test
    void skipsBudgetsOfOtherNamespaces() {
        assertThat(budgets.covering(pod("blog", Map.of("app", "web", "tier", "front"))))
                .containsExactly(OTHER_NAMESPACE);
    }

    @Test
    void unlabelledPodIsCoveredByNothing() {
        assertThat(budgets.covering(pod("shop", Map.of()))).isEmpty();
    }

    private static PodDisruptionBudget budget(String namespace, String name, LabelSelector selector) {
        return new PodDisruptionBudget(namespace, name, selector, null, "1", 1);
    }

    private static Pod pod(String namespace, Map<String, String> labels) {
        return PodBuilder.pod("p")
                .namespace(namespace)
                .on("n")
                .owner("ReplicaSet", "rs")
                .labels(labels)
                .build();
    }
}
