package dev.kompact.optimizer.move;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Moves that act on a whole node, as consolidation does: a node only stops costing money once its last pod leaves,
 * which single-pod moves reach only across a long plateau of moves that change nothing. Two kinds:
 * <ul>
 *   <li><b>evacuate</b>: every pod of a node onto other nodes in use, largest first, each onto the fullest of a
 *       random sample of them that admits it (best fit) — the node is removed;</li>
 *   <li><b>replace</b>: every pod of a node onto one unused node (a candidate, or an existing node without pods)
 *       that is cheaper and admits them all.</li>
 * </ul>
 * Sampling keeps a move's cost independent of the cluster's size. Nodes holding a pinned pod cannot empty, so they
 * are never the source. When no valid target exists the move is not doable and the search draws another. Only
 * resources, selectors and taints are checked here; the score judges the rest.
 */
public final class ConsolidationMoveFactory extends RandomMoveFactory {

    private static final int TARGET_SAMPLE = 64;
    private static final int REPLACEMENT_TRIES = 8;

    @Override
    ReassignPodsMove draw(ClusterPlacement solution, Random random) {
        List<NodeSlot> nodes = solution.getNodes();
        NodeSlot source = randomUsed(nodes, random);
        if (source == null || source.getPods().stream().anyMatch(PodPlacement::isPinned)) {
            return NOTHING;
        }
        NodeLoads loads = new NodeLoads();
        return random.nextBoolean() ? evacuate(source, nodes, loads, random) : replace(source, nodes, loads, random);
    }

    private static NodeSlot randomUsed(List<NodeSlot> nodes, Random random) {
        for (int attempt = 0; attempt < 4 * TARGET_SAMPLE; attempt++) {
            NodeSlot node = nodes.get(random.nextInt(nodes.size()));
            if (!node.getPods().isEmpty()) {
                return node;
            }
        }
        return null;
    }

    private static ReassignPodsMove evacuate(NodeSlot source, List<NodeSlot> nodes, NodeLoads loads, Random random) {
        List<NodeSlot> sample = new ArrayList<>();
        for (int attempt = 0; attempt < 4 * TARGET_SAMPLE && sample.size() < TARGET_SAMPLE; attempt++) {
            NodeSlot node = nodes.get(random.nextInt(nodes.size()));
            if (node != source && loads.isUsed(node) && !sample.contains(node)) {
                sample.add(node);
            }
        }
        List<PodPlacement> pods = largestFirst(source.getPods());
        List<NodeSlot> targets = new ArrayList<>();
        for (PodPlacement pod : pods) {
            NodeSlot best = null;
            for (NodeSlot candidate : sample) {
                if (loads.admits(candidate, pod) && (best == null || loads.freeCpu(candidate) < loads.freeCpu(best))) {
                    best = candidate;
                }
            }
            if (best == null) {
                return NOTHING;
            }
            loads.add(best, pod.getDemand());
            targets.add(best);
        }
        return new ReassignPodsMove("evacuate", pods, targets);
    }

    private static ReassignPodsMove replace(NodeSlot source, List<NodeSlot> nodes, NodeLoads loads, Random random) {
        List<PodPlacement> pods = largestFirst(source.getPods());
        for (int attempt = 0; attempt < REPLACEMENT_TRIES; attempt++) {
            NodeSlot candidate = nodes.get(random.nextInt(nodes.size()));
            if (candidate.isUnschedulable()
                    || loads.isUsed(candidate)
                    || candidate.getPricePerHourMicros() >= source.getPricePerHourMicros()) {
                continue;
            }
            if (pods.stream().allMatch(pod -> admitsAndAdds(loads, candidate, pod))) {
                return new ReassignPodsMove(
                        "replace", pods, pods.stream().map(p -> candidate).toList());
            }
            loads.forget(candidate);
        }
        return NOTHING;
    }

    private static boolean admitsAndAdds(NodeLoads loads, NodeSlot node, PodPlacement pod) {
        if (!loads.admits(node, pod)) {
            return false;
        }
        loads.add(node, pod.getDemand());
        return true;
    }

    private static List<PodPlacement> largestFirst(List<PodPlacement> pods) {
        List<PodPlacement> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparingLong((PodPlacement p) -> p.getDemand()[0])
                .reversed()
                .thenComparing(PodPlacement::getId));
        return sorted;
    }
}
