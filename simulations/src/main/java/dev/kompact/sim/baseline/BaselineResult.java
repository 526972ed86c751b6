package dev.kompact.sim.baseline;

import dev.kompact.optimizer.oracle.ClusterState;
import java.util.List;

/**
 * The end state a baseline policy reaches from a snapshot: its hourly cost, the nodes it bought and removed, how many
 * running pods end on another node, and the cluster itself so that it can be audited ({@link PlacementAudit}).
 */
public record BaselineResult(
        String policy,
        long costBeforeMicros,
        long costAfterMicros,
        List<String> nodesAdded,
        List<String> nodesRemoved,
        int moves,
        long millis,
        ClusterState after) {

    public BaselineResult {
        nodesAdded = List.copyOf(nodesAdded);
        nodesRemoved = List.copyOf(nodesRemoved);
    }
}
