package dev.kompact.cli.report;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan read against the snapshot it was made from: where each pod is before and after, which workload it
 * belongs to, and each node's change. The snapshot is optional: without it, pods are known only by their moves.
 */
final class PlannedCluster {

    final RebalancePlan plan;
    final Optional<ClusterSnapshot> snapshot;
    final Map<String, NodeChange> nodes = new LinkedHashMap<>();
    final Map<PodKey, Pod> pods = new HashMap<>();
    final Map<PodKey, String> nodeAfter = new HashMap<>();
    final Map<PodKey, PodMove> moves = new LinkedHashMap<>();

    PlannedCluster(RebalancePlan plan, ClusterSnapshot snapshot) {
        this.plan = plan;
        this.snapshot = Optional.ofNullable(snapshot);
        plan.nodes().forEach(n -> nodes.put(n.name(), n));
        if (snapshot != null) {
            for (Pod pod : snapshot.pods()) {
                pods.put(pod.key(), pod);
                if (pod.nodeName() != null) {
                    nodeAfter.put(pod.key(), pod.nodeName());
                }
            }
        }
        for (PodMove move : plan.moves()) {
            moves.put(move.pod(), move);
            nodeAfter.put(move.pod(), move.to());
        }
    }

    /** "Deployment shop/web" style: the pod's controller, else its name without the generated suffix. */
    String workload(PodKey podKey) {
        Pod pod = pods.get(podKey);
        if (pod != null && pod.owner() != null) {
            String name = pod.owner().name();
            if (pod.owner().kind().equals("ReplicaSet") && name.lastIndexOf('-') > 0) {
                // a Deployment's ReplicaSet is its name and a template hash
                return "Deployment " + pod.namespace() + "/" + name.substring(0, name.lastIndexOf('-'));
            }
            return pod.owner().kind() + " " + pod.namespace() + "/" + name;
        }
        return podKey.toString();
    }

    boolean removed(String node) {
        NodeChange change = nodes.get(node);
        return change != null && change.status() == NodeChange.Status.REMOVED;
    }

    boolean added(String node) {
        NodeChange change = nodes.get(node);
        return change != null && change.status() == NodeChange.Status.ADDED;
    }

    List<PodMove> arrivals(String node) {
        return plan.moves().stream().filter(m -> node.equals(m.to())).toList();
    }

    List<PodMove> departures(String node) {
        return plan.moves().stream().filter(m -> node.equals(m.from())).toList();
    }
}
