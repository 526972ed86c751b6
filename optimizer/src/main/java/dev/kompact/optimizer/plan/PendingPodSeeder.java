package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the search with every pending pod on an existing node, packed first-fit decreasing so that from nothing the
 * search starts near a good packing instead of spending its time placing pods:
 * <ol>
 *   <li>pods go largest first, sized by their share of the pending demand of each resource weighted by how tight
 *       that resource is over the free capacity, so the scarcest resource decides;</li>
 *   <li>each goes on the first open node that admits it; nodes already paid for (holding pods, or kept) are open
 *       from the start, in the snapshot's order, as the scheduler would fill them;</li>
 *   <li>when no open node admits it, the unopened node that admits it and holds the rest of the pending demand most
 *       cheaply (price over the share of that demand it holds, by its scarcest resource) opens.</li>
 * </ol>
 * Admission is the scheduler's ({@link ClusterState#whyNot}), tried only once resources fit. The construction
 * heuristic is left the pods no existing node admits: it would try every node for every pending pod, which at
 * thousands of nodes takes longer than the whole search should.
 */
final class PendingPodSeeder {

    private final ClusterSnapshot snapshot;

    PendingPodSeeder(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    void seed(ClusterPlacement problem) {
        int resources = problem.getResources().size();
        Map<NodeSlot, long[]> load = new HashMap<>();
        List<NodeSlot> existing = problem.getNodes().stream()
                .filter(n -> n.isExisting() && !n.isUnschedulable())
                .toList();
        existing.forEach(n -> load.put(n, new long[resources]));
        List<PodPlacement> pending = new ArrayList<>();
        for (PodPlacement p : problem.getPlacements()) {
            if (p.getNode() != null && load.containsKey(p.getNode())) {
                add(load.get(p.getNode()), p.getDemand(), 1);
            } else if (p.getNode() == null && p.getCurrentNode() == null) {
                pending.add(p);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        long[] remaining = new long[resources];
        pending.forEach(p -> add(remaining, p.getDemand(), 1));
        long[] free = new long[resources];
        existing.forEach(n -> {
            long[] used = load.get(n);
            for (int r = 0; r < resources; r++) {
                free[r] += Math.max(0, n.getCapacity()[r] - used[r]);
            }
        });
        pending.sort(Comparator.comparingDouble((PodPlacement p) -> size(p.getDemand(), free))
                .reversed()
                .thenComparing(PodPlacement::getId));

        List<NodeSlot> open = new ArrayList<>();
        List<NodeSlot> closed = new ArrayList<>();
        for (NodeSlot node : existing) {
            boolean paidFor = node.isKept() || used(load.get(node));
            (paidFor ? open : closed).add(node);
        }
        ClusterState state = new ClusterState(snapshot);
        for (PodPlacement placement : pending) {
            NodeSlot target = firstAdmitting(open, placement, load, state);
            if (target == null) {
                target = cheapestToOpen(closed, placement, load, state, remaining);
                if (target == null) {
                    continue;
                }
                closed.remove(target);
                open.add(target);
            }
            state.place(placement.getPod(), target.getName());
            placement.setNode(target);
            add(load.get(target), placement.getDemand(), 1);
            add(remaining, placement.getDemand(), -1);
        }
    }

    private static NodeSlot firstAdmitting(
            List<NodeSlot> open, PodPlacement placement, Map<NodeSlot, long[]> load, ClusterState state) {
        for (NodeSlot node : open) {
            if (fits(node, load.get(node), placement) && admits(state, placement, node)) {
                return node;
            }
        }
        return null;
    }

    private static NodeSlot cheapestToOpen(
            List<NodeSlot> closed,
            PodPlacement placement,
            Map<NodeSlot, long[]> load,
            ClusterState state,
            long[] remaining) {
        NodeSlot best = null;
        double bestCost = Double.MAX_VALUE;
        for (NodeSlot node : closed) {
            double cost = node.getPricePerHourMicros() / shareHeld(node.getCapacity(), remaining);
            if (cost < bestCost && fits(node, load.get(node), placement) && admits(state, placement, node)) {
                best = node;
                bestCost = cost;
            }
        }
        return best;
    }

    /** The share of {@code demand} a node of {@code capacity} holds, by its scarcest resource, at most all of it. */
    private static double shareHeld(long[] capacity, long[] demand) {
        double share = 1;
        for (int r = 0; r < demand.length; r++) {
            if (demand[r] > 0) {
                share = Math.min(share, (double) capacity[r] / demand[r]);
            }
        }
        return Math.max(share, 1e-9);
    }

    /**
     * A pod's share of the free capacity, summed over resources: its share of the pending demand of each, weighted by
     * how much of the free capacity that demand needs, so that the tightest resource counts most.
     */
    private static double size(long[] demand, long[] free) {
        double size = 0;
        for (int r = 0; r < demand.length; r++) {
            size += free[r] == 0 ? 0 : (double) demand[r] / free[r];
        }
        return size;
    }

    private static boolean fits(NodeSlot node, long[] used, PodPlacement placement) {
        for (int r = 0; r < used.length; r++) {
            if (used[r] + placement.getDemand()[r] > node.getCapacity()[r]) {
                return false;
            }
        }
        return true;
    }

    private static boolean admits(ClusterState state, PodPlacement placement, NodeSlot node) {
        return state.whyNot(placement.getPod(), node.getName()).isEmpty();
    }

    private static boolean used(long[] load) {
        for (long amount : load) {
            if (amount > 0) {
                return true;
            }
        }
        return false;
    }

    private static void add(long[] total, long[] amounts, int sign) {
        for (int r = 0; r < total.length; r++) {
            total[r] += sign * amounts[r];
        }
    }
}
