package dev.kompact.sim.baseline;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /** What the policy did to {@code snapshot}, ending in {@code after}. */
    public static BaselineResult of(String policy, ClusterSnapshot snapshot, ClusterState after, long millis) {
        Set<String> before = new HashSet<>();
        snapshot.nodes().forEach(n -> before.add(n.name()));
        Set<String> remaining = new LinkedHashSet<>();
        after.nodes().forEach(n -> remaining.add(n.name()));
        List<String> added = remaining.stream().filter(n -> !before.contains(n)).toList();
        List<String> removed = snapshot.nodes().stream()
                .map(Node::name)
                .filter(n -> !remaining.contains(n))
                .toList();
        int moves = 0;
        for (Pod pod : snapshot.pods()) {
            if (!pod.isNodeBound() && pod.nodeName() != null && !pod.nodeName().equals(after.nodeOf(pod))) {
                moves++;
            }
        }
        long costBefore =
                snapshot.nodes().stream().mapToLong(Node::pricePerHourMicros).sum();
        return new BaselineResult(policy, costBefore, after.costPerHourMicros(), added, removed, moves, millis, after);
    }
}
