package dev.kompact.sim.baseline;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.plan.ClusterState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a baseline's end state the way the plan verifier checks a plan: every pod that ran before still runs,
 * pinned pods on the node they were on, and the scheduler would admit every pod where it now sits. Empty means valid.
 */
public final class PlacementAudit {

    private PlacementAudit() {
    }

    public static List<String> violations(ClusterSnapshot before, ClusterState after) {
        List<String> violations = new ArrayList<>();
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
            Optional<String> why = after.whyNot(pod, node);
            why.ifPresent(reason -> violations.add(pod.key() + " on " + node + ": " + reason));
        }
        return violations;
    }
}
