package dev.kompact.optimizer.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PodDisruptionBudgets of a cluster, found for a pod without scanning them all: a budget only ever covers pods
 * of its own namespace, and one selecting by labels only pods carrying the first of them.
 */
public final class DisruptionBudgets {

    private final Map<String, List<Indexed>> byLabel = new HashMap<>();
    private final Map<String, List<Indexed>> byNamespaceOnly = new HashMap<>();

    public DisruptionBudgets(List<PodDisruptionBudget> budgets) {
        for (int i = 0; i < budgets.size(); i++) {
            PodDisruptionBudget budget = budgets.get(i);
            Indexed indexed = new Indexed(i, budget);
            budget.selector().matchLabels().entrySet().stream()
                    .findFirst()
                    .ifPresentOrElse(
                            label -> byLabel.computeIfAbsent(
                                            NamespacedLabel.key(budget.namespace(), label.getKey(), label.getValue()),
                                            k -> new ArrayList<>())
                                    .add(indexed),
                            () -> byNamespaceOnly
                                    .computeIfAbsent(budget.namespace(), k -> new ArrayList<>())
                                    .add(indexed));
        }
    }

    /** The budgets covering {@code pod}, in the order the cluster lists them. */
    public List<PodDisruptionBudget> covering(Pod pod) {
        List<Indexed> found = new ArrayList<>();
        pod.labels()
                .forEach((label, value) ->
                        addCovering(byLabel.get(NamespacedLabel.key(pod.namespace(), label, value)), pod, found));
        addCovering(byNamespaceOnly.get(pod.namespace()), pod, found);
        found.sort(Comparator.comparingInt(Indexed::position));
        return found.stream().map(Indexed::budget).toList();
    }

    private static void addCovering(List<Indexed> candidates, Pod pod, List<Indexed> found) {
        if (candidates != null) {
            candidates.stream().filter(c -> c.budget().covers(pod)).forEach(found::add);
        }
    }

    private record Indexed(int position, PodDisruptionBudget budget) {}
}
