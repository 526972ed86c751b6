package dev.kompact.optimizer.snapshot;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link SnapshotDocument} into the model, recording every problem under its JSON path. The pods' requests
 * summed over the whole cluster must stay far within a {@code long}: every load the solver, the oracle and the plan
 * add up is a part of that sum, so none of them can wrap around and make an overfull node look empty.
 */
final class SnapshotValidator {

    /** Leaves room for a node's load plus one more pod, and for overages summed into a score. */
    private static final long MAX_TOTAL = Long.MAX_VALUE / 4;

    private final DocumentChecks checks;
    private final NodeValidator nodeValidator;
    private final PodValidator podValidator;
    private final BudgetValidator budgetValidator;

    SnapshotValidator(InstanceCatalog catalog, List<SnapshotProblem> problems) {
        this.checks = new DocumentChecks(problems);
        this.nodeValidator = new NodeValidator(catalog, checks);
        this.podValidator = new PodValidator(checks);
        this.budgetValidator = new BudgetValidator(checks);
    }

    /** The snapshot, or empty when any problem was found (they are in the list given at construction). */
    Optional<ClusterSnapshot> validate(SnapshotDocument document) {
        checks.expect("apiVersion", document.apiVersion(), SnapshotDocument.API_VERSION);
        checks.expect("kind", document.kind(), SnapshotDocument.KIND);
        List<Node> nodes = checks.eachOf("nodes", document.nodes(), nodeValidator::node);
        Set<String> nodeNames = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null && !nodeNames.add(nodes.get(i).name())) {
                checks.problem(
                        "nodes[" + i + "].name",
                        "duplicate node name \"" + nodes.get(i).name() + "\"");
            }
        }
        List<Pod> pods = checks.eachOf("pods", document.pods(), podValidator::pod);
        Set<String> podKeys = new HashSet<>();
        for (int i = 0; i < pods.size(); i++) {
            Pod pod = pods.get(i);
            if (pod == null) {
                continue;
            }
            if (!podKeys.add(pod.key())) {
                checks.problem("pods[" + i + "].name", "duplicate pod \"" + pod.key() + "\"");
            }
            if (pod.nodeName() != null && !nodeNames.contains(pod.nodeName())) {
                checks.problem("pods[" + i + "].node", "no node named \"" + pod.nodeName() + "\" in nodes");
            }
        }
        checkTotals(pods);
        List<PodDisruptionBudget> budgets =
                checks.eachOf("podDisruptionBudgets", document.podDisruptionBudgets(), budgetValidator::budget);
        List<InstanceOffering> offerings = document.offerings() == null
                ? nodeValidator.catalogOfferings(nodes)
                : checks.eachOf("offerings", document.offerings(), nodeValidator::offering);
        if (checks.any()) {
            return Optional.empty();
        }
        String name = document.metadata() == null || document.metadata().name() == null
                ? "cluster"
                : document.metadata().name();
        return Optional.of(new ClusterSnapshot(name, nodes, pods, budgets, offerings));
    }

    private void checkTotals(List<Pod> pods) {
        // each request is at most ResourceNames.maxOnAnyNode, so the running total stops well before it could wrap
        Map<String, Long> totals = new HashMap<>();
        for (int i = 0; i < pods.size(); i++) {
            Pod pod = pods.get(i);
            if (pod == null) {
                continue;
            }
            for (Map.Entry<String, Long> request : pod.requests().amounts().entrySet()) {
                long total = totals.merge(request.getKey(), request.getValue(), Long::sum);
                if (total > MAX_TOTAL) {
                    checks.problem(
                            "pods[" + i + "].requests." + request.getKey(),
                            "with the pods before it, the cluster's pods request more " + request.getKey()
                                    + " than the planner can add up");
                    return;
                }
            }
        }
    }
}
