package dev.kompact.optimizer.move;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Empties nodes outside the search, each by a {@link Repacker} move onto the used nodes of its zone (no new node is
 * bought). The planner needs it after taking back moves no safe order admits: a pod taken back keeps a node alive
 * that the plan had emptied, most often for one or two pods that fit elsewhere in the zone. Staying in the zone
 * keeps clear of the swaps across zones that made those moves unorderable.
 */
public final class Evacuation {

    private Evacuation() {}

    /**
     * Moves the pods of {@code nodes} where they fit and answers where each moved pod was, so that the caller can
     * undo it when the score finds a broken rule. Needs the nodes' pod lists current (as after a rescore) and keeps
     * them so; the score must be recomputed afterwards.
     */
    public static Map<PodPlacement, NodeSlot> evacuate(ClusterPlacement placement, Collection<NodeSlot> nodes) {
        Map<String, List<NodeSlot>> usedByZone = new HashMap<>();
        for (NodeSlot node : placement.getNodes()) {
            if (!node.getPods().isEmpty() && !node.isUnschedulable() && !nodes.contains(node)) {
                usedByZone
                        .computeIfAbsent(node.getZone(), z -> new ArrayList<>())
                        .add(node);
            }
        }
        Map<PodPlacement, NodeSlot> previous = new HashMap<>();
        for (NodeSlot node : nodes) {
            ReassignPodsMove move =
                    new Repacker().repack(List.of(node), usedByZone.getOrDefault(node.getZone(), List.of()), List.of());
            List<?> pods = List.copyOf(move.getPlanningEntities());
            List<?> targets = List.copyOf(move.getPlanningValues());
            for (int i = 0; i < pods.size(); i++) {
                PodPlacement pod = (PodPlacement) pods.get(i);
                NodeSlot target = (NodeSlot) targets.get(i);
                previous.putIfAbsent(pod, pod.getNode());
                pod.getNode().getPods().remove(pod);
                target.getPods().add(pod);
                pod.setNode(target);
            }
        }
        return previous;
    }
}
