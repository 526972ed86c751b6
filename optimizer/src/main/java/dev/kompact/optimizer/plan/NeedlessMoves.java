package dev.kompact.optimizer.plan;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.solver.PlacementSolver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes back the moves between two nodes the plan keeps that buy nothing. A search stopped by its time limit leaves
 * some: a pod shuffled from one kept node to another, neither emptied nor made room on, is a restart that the
 * solver's small per-move cost did not get round to undoing. Each such move is put back in turn, and stays back when
 * the score is no worse: it was then not needed for room, spread, spot risk or a preference.
 */
final class NeedlessMoves {

    private NeedlessMoves() {}

    /** @return how many moves were taken back */
    static int takeBack(PlacementSolver solver, ClusterPlacement solution) {
        Set<NodeSlot> used = new HashSet<>();
        solution.getPlacements().forEach(p -> used.add(p.getNode()));
        List<PodPlacement> betweenKeptNodes = solution.getPlacements().stream()
                .filter(p -> p.isMoved() && used.contains(p.getCurrentNode()))
                .toList();
        int takenBack = 0;
        HardMediumSoftLongScore score = solution.getScore();
        for (PodPlacement move : betweenKeptNodes) {
            NodeSlot target = move.getNode();
            move.setNode(move.getCurrentNode());
            solver.rescore(solution);
            if (solution.getScore().compareTo(score) >= 0) {
                score = solution.getScore();
                takenBack++;
            } else {
                move.setNode(target);
            }
        }
        solver.rescore(solution);
        return takenBack;
    }
}
