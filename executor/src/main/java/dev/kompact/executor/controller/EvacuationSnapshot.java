package dev.kompact.executor.controller;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as the optimizer must see it to plan one node's evacuation and nothing else:
 * <ol>
 *   <li>the node is unschedulable and holds no pod (allocatable pods 0), so every pod on it must move;</li>
 *   <li>every other node is kept and every other running pod pinned ({@code kompact.dev/do-not-disrupt}): the plan
 *       only places the evacuees, on free room or on new nodes;</li>
 *   <li>pods on the node that cannot move (bare pods, do-not-disrupt) are left out, as they go down with it whatever
 *       the plan says, and so are pending pods: the regular rounds place them.</li>
 * </ol>
 */
final class EvacuationSnapshot {

    private EvacuationSnapshot() {}

    /** Empty when the snapshot has no node of that name. */
    static Optional<ClusterSnapshot> of(ClusterSnapshot snapshot, String nodeName) {
        Optional<Node> evacuated = snapshot.node(nodeName);
        if (evacuated.isEmpty()) {
            return Optional.empty();
        }
        List<Node> nodes = snapshot.nodes().stream()
                .map(n -> n.name().equals(nodeName)
                        ? NoticedNodes.closed(n, n.allocatable().with(ResourceNames.PODS, 0))
                        : new Node(
                                n.name(),
                                n.instanceType(),
                                n.zone(),
                                n.capacityType(),
                                n.pricePerHourMicros(),
                                n.labels(),
                                doNotDisrupt(n.annotations()),
                                n.taints(),
                                n.allocatable(),
                                n.unschedulable()))
                .toList();
        List<Pod> pods = snapshot.pods().stream()
                .filter(p -> !p.isPending())
                .filter(p -> !p.nodeName().equals(nodeName)
                        || p.isNodeBound()
                        || MobilityRules.classify(p, evacuated.get()) != Mobility.PINNED)
                .map(p -> p.nodeName().equals(nodeName) ? p : pinned(p))
                .toList();
        return Optional.of(new ClusterSnapshot(
                snapshot.name(), nodes, pods, snapshot.podDisruptionBudgets(), snapshot.offerings()));
    }

    private static Pod pinned(Pod p) {
        return new Pod(
                p.namespace(),
                p.name(),
                p.nodeName(),
                p.owner(),
                p.requests(),
                p.usage(),
                p.priority(),
                p.labels(),
                doNotDisrupt(p.annotations()),
                p.nodeSelector(),
                p.requiredNodeAffinity(),
                p.tolerations(),
                p.affinity(),
                p.volumes(),
                p.volumeZone());
    }

    private static Map<String, String> doNotDisrupt(Map<String, String> annotations) {
        Map<String, String> marked = new HashMap<>(annotations);
        marked.put(WellKnownLabels.KOMPACT_DO_NOT_DISRUPT, "true");
        return marked;
    }
}
