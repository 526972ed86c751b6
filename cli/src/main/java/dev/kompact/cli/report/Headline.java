package dev.kompact.cli.report;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.util.ArrayList;
import java.util.List;

/** The counts both reports lead with, taken once from the plan. */
record Headline(
        int nodesBefore,
        int nodesAfter,
        int nodesAdded,
        int nodesRemoved,
        int liveMoves,
        int restartMoves,
        int pendingPlaced) {

    static Headline of(RebalancePlan plan) {
        int before = 0;
        int after = 0;
        for (NodeChange node : plan.nodes()) {
            if (node.status() != NodeChange.Status.ADDED) {
                before++;
            }
            if (node.status() != NodeChange.Status.REMOVED) {
                after++;
            }
        }
        int live = 0;
        int restart = 0;
        int pending = 0;
        for (PodMove move : plan.moves()) {
            if (move.from() == null) {
                pending++;
            } else if (move.mobility() == Mobility.LIVE) {
                live++;
            } else {
                restart++;
            }
        }
        return new Headline(
                before, after, plan.nodesAdded().size(), plan.nodesRemoved().size(), live, restart, pending);
    }

    int moves() {
        return liveMoves + restartMoves + pendingPlaced;
    }

    boolean nothingToChange() {
        return moves() == 0 && nodesAdded == 0 && nodesRemoved == 0;
    }

    /** "212 (150 live, 60 restart, 2 pending pods placed)", leaving out the kinds that did not occur. */
    String describeMoves() {
        List<String> kinds = new ArrayList<>();
        if (liveMoves > 0) {
            kinds.add(liveMoves + " live");
        }
        if (restartMoves > 0) {
            kinds.add(restartMoves + " restart");
        }
        if (pendingPlaced > 0) {
            kinds.add(pendingPlaced + (pendingPlaced == 1 ? " pending pod placed" : " pending pods placed"));
        }
        return kinds.isEmpty() ? "none" : moves() + " (" + String.join(", ", kinds) + ")";
    }
}
