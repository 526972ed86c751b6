package dev.kompact.cli.report;

import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.PodMove;
import java.util.List;

/** Why each move and each removed or added node is in the plan, in the words a Kubernetes user reads. */
final class Reasons {

    private static final int NAMED = 2;

    private final PlannedCluster cluster;

    Reasons(PlannedCluster cluster) {
        this.cluster = cluster;
    }

    String of(PodMove move) {
        if (move.from() == null) {
            return "pending pod placed";
        }
        if (cluster.removed(move.from())) {
            NodeChange from = cluster.nodes.get(move.from());
            return "empties " + move.from() + " (removed, saves $" + Figures.perHour(from.pricePerHour()) + "/h)";
        }
        List<String> arriving = cluster.arrivals(move.from()).stream()
                .map(m -> m.pod().toString())
                .toList();
        if (!arriving.isEmpty()) {
            return "makes room on " + move.from() + " for " + names(arriving);
        }
        // NeedlessMoves takes back every such move the score does not need; what is left buys a soft rule
        return "spreads its workload or lowers its spot risk, as the solver's preferences price it";
    }

    String of(NodeChange node) {
        return switch (node.status()) {
            case REMOVED -> {
                int leaving = cluster.departures(node.name()).size();
                yield "removed, saves $" + Figures.perHour(node.pricePerHour()) + "/h"
                        + (leaving == 0 ? "; it holds no pod that moves" : "; its " + leaving + " pods move");
            }
            case ADDED ->
                "added for "
                        + names(cluster.arrivals(node.name()).stream()
                                .map(m -> m.pod().toString())
                                .toList());
            case KEPT -> "kept";
        };
    }

    private static String names(List<String> pods) {
        if (pods.size() <= NAMED) {
            return String.join(", ", pods);
        }
        return String.join(", ", pods.subList(0, NAMED)) + " and " + (pods.size() - NAMED) + " more";
    }
}
