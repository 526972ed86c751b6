package dev.kompact.sim.baseline;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.DisruptionBudgets;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a baseline's end state the way the plan verifier checks a plan: every pod that ran before still runs,
 * pinned pods on the node they were on, no pod moved (evicted: baselines have no live migration) under a
 * PodDisruptionBudget that allows no disruption, and the scheduler would admit every pod where it now sits. Empty
 * means valid.
 */
public final class PlacementAudit {

    private PlacementAudit() {}

    public static List<String> violations(ClusterSnapshot before, ClusterState after) {
        List<String> violations = new ArrayList<>();
        DisruptionBudgets budgets = new DisruptionBudgets(before.podDisruptionBudgets());
        Map<String, Node> nodes = new HashMap<>();
        before.nodes().forEach(n -> nodes.put(n.name(), n));
        for (Pod pod : before.pods()) {
            if (pod.isNodeBound() || pod.nodeName() == null) {
                continue;
            }
            String node = after.nodeOf(pod);
            if (node == null) {
                violations.add(pod.key() + " ran on " + pod.nodeName() + " and no longer runs");
                continue;
            }
            boolean pinned = MobilityRules.classify(pod, nodes.get(pod.nodeName())) == Mobility.PINNED;
            if (pinned && !node.equals(pod.nodeName())) {
                violations.add(pod.key() + " is pinned to " + pod.nodeName() + " but ends on " + node);
            }
            if (!node.equals(pod.nodeName())) {
                budgets.covering(pod).stream()
                        .filter(b -> b.disruptionsAllowed() == 0)
                        .findFirst()
                        .ifPresent(b -> violations.add(pod.key() + " was evicted from " + pod.nodeName()
                                + " though budget " + b.namespace() + "/" + b.name() + " allows no disruption"));
            }
            Optional<String> why = after.whyNot(pod, node);
            why.ifPresent(reason -> violations.add(pod.key() + " on " + node + ": " + reason));
        }
        return violations;
    }
}
