package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.Comparator;
import java.util.List;

/**
 * Starts the search with each pending pod where the scheduler would put it: on the first existing node that admits
 * it, largest pods first. The construction heuristic would try every node for every pending pod, which at thousands
 * of nodes takes longer than the whole search should; it is left only the pods no existing node can take.
 */
final class PendingPodSeeder {

    private final ClusterSnapshot snapshot;

    PendingPodSeeder(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    void seed(ClusterPlacement problem) {
        ClusterState state = new ClusterState(snapshot);
        List<NodeSlot> existing =
                problem.getNodes().stream().filter(NodeSlot::isExisting).toList();
        List<PodPlacement> pending = problem.getPlacements().stream()
                .filter(p -> p.getCurrentNode() == null && p.getNode() == null)
                .sorted(Comparator.comparingLong((PodPlacement p) -> p.getDemand()[0])
                        .reversed()
                        .thenComparing(PodPlacement::getId))
                .toList();
        for (PodPlacement placement : pending) {
            for (NodeSlot node : existing) {
                if (state.whyNot(placement.getPod(), node.getName()).isEmpty()) {
                    state.place(placement.getPod(), node.getName());
                    placement.setNode(node);
                    break;
                }
            }
        }
    }
}
