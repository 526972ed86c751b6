package dev.kompact.optimizer.move;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws a {@link Repacker} move: a few used nodes of one zone, the emptiest of a sample, repacked onto other used
 * nodes of the zone and empty slots there. Staying in the zone leaves volume zones and every count per zone (spread,
 * zone affinity) as they were, so that most repacks keep the hard rules without the score having to say so.
 */
public final class RepackMoveFactory extends RandomMoveFactory {

    static final int MAX_GROUP = 8;
    private static final int SAMPLE_PER_MEMBER = 3;
    private static final int TARGET_SAMPLE = 64;
    private static final int SEED_TRIES = 64;

    /** The solution the zone index was built for: the working solution's node list never changes in a solve. */
    private List<NodeSlot> indexed;

    private Map<String, List<NodeSlot>> byZone;

    @Override
    ReassignPodsMove draw(ClusterPlacement solution, Random random) {
        List<NodeSlot> nodes = solution.getNodes();
        if (indexed != nodes) {
            byZone = new HashMap<>();
            nodes.forEach(n ->
                    byZone.computeIfAbsent(n.getZone(), z -> new ArrayList<>()).add(n));
            indexed = nodes;
        }
        NodeSlot seed = null;
        for (int i = 0; i < SEED_TRIES && seed == null; i++) {
            NodeSlot node = nodes.get(random.nextInt(nodes.size()));
            seed = isSource(node) ? node : null;
        }
        if (seed == null) {
            return NOTHING;
        }
        List<NodeSlot> zone = byZone.get(seed.getZone());
        List<NodeSlot> group = group(seed, zone, 1 + random.nextInt(MAX_GROUP), random);
        List<NodeSlot> used = new ArrayList<>();
        List<NodeSlot> empty = new ArrayList<>();
        for (NodeSlot node : zone) {
            if (node.isUnschedulable()) {
                continue;
            }
            if (node.getPods().isEmpty()) {
                // an existing node without pods opens like a new one: from nothing, every node starts so
                empty.add(node);
            } else if (!node.isExisting()) {
                used.add(node);
            }
        }
        for (int i = 0; i < TARGET_SAMPLE; i++) {
            NodeSlot node = zone.get(random.nextInt(zone.size()));
            if (node.isExisting() && !node.getPods().isEmpty() && !node.isUnschedulable() && !used.contains(node)) {
                used.add(node);
            }
        }
        return new Repacker().repack(group, used, empty);
    }

    /** The seed and the emptiest of a random sample of the zone's other sources, {@code size} in all. */
    private static List<NodeSlot> group(NodeSlot seed, List<NodeSlot> zone, int size, Random random) {
        List<NodeSlot> sample = new ArrayList<>();
        for (int i = 0; i < SAMPLE_PER_MEMBER * (size - 1); i++) {
            NodeSlot node = zone.get(random.nextInt(zone.size()));
            if (node != seed && isSource(node) && !sample.contains(node)) {
                sample.add(node);
            }
        }
        sample.sort(Comparator.comparingDouble(RepackMoveFactory::fill));
        List<NodeSlot> group = new ArrayList<>(List.of(seed));
        group.addAll(sample.subList(0, Math.min(size - 1, sample.size())));
        return group;
    }

    /** A node that can be emptied: it holds pods, all free to leave, and the plan may remove it. */
    private static boolean isSource(NodeSlot node) {
        return !node.getPods().isEmpty()
                && !node.isKept()
                && node.getPods().stream().allMatch(NodeLoads::mayLeave);
    }

    /** The larger of the shares of CPU and memory the node's pods request. */
    private static double fill(NodeSlot node) {
        long[] used = new long[2];
        for (PodPlacement pod : node.getPods()) {
            used[0] += pod.getDemand()[0];
            used[1] += pod.getDemand()[1];
        }
        long[] capacity = node.getCapacity();
        return Math.max((double) used[0] / Math.max(1, capacity[0]), (double) used[1] / Math.max(1, capacity[1]));
    }
}
