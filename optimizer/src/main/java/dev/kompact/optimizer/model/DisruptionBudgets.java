package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The PodDisruptionBudgets of a cluster by namespace: a budget only ever covers pods of its own namespace. */
public final class DisruptionBudgets {

    private final Map<String, List<PodDisruptionBudget>> byNamespace;

    public DisruptionBudgets(List<PodDisruptionBudget> budgets) {
        this.byNamespace = budgets.stream().collect(Collectors.groupingBy(PodDisruptionBudget::namespace));
    }

    public List<PodDisruptionBudget> covering(Pod pod) {
        return byNamespace.getOrDefault(pod.namespace(), List.of()).stream().filter(b -> b.covers(pod)).toList();
    }
}
