package dev.kompact.optimizer.plan;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.solver.PlacementSolver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Takes back the moves between two nodes the plan keeps that buy nothing. A search stopped by its time limit leaves
 * some: a pod shuffled from one kept node to another, neither emptied nor made room on, is a restart that the
 * solver's small per-move cost did not get round to undoing. All of them are put back at once, and stay back when the
 * score is no worse; otherwise each is put back in turn, and stays back when the score is no worse: it was then not
 * needed for room, spread, spot risk or a preference. Each try rescores the whole placement, so the tries stop once
 * the time is up: the moves not yet tried stay, as the search left them.
 */
final class NeedlessMoves {

    private NeedlessMoves() {}

    /**
     * @param timeIsUp asked before each try after the first
     * @return how many moves were taken back
     */
    static int takeBack(PlacementSolver solver, ClusterPlacement solution, BooleanSupplier timeIsUp) {
        Set<NodeSlot> used = new HashSet<>();
        solution.getPlacements().forEach(p -> used.add(p.getNode()));
        List<PodPlacement> betweenKeptNodes = solution.getPlacements().stream()
                .filter(p -> p.isMoved() && used.contains(p.getCurrentNode()))
                .toList();
        if (betweenKeptNodes.isEmpty()) {
            return 0;
        }
        HardMediumSoftLongScore score = solution.getScore();
        Map<PodPlacement, NodeSlot> targets = new HashMap<>();
        betweenKeptNodes.forEach(move -> {
            targets.put(move, move.getNode());
            move.setNode(move.getCurrentNode());
        });
        solver.rescore(solution);
        if (solution.getScore().compareTo(score) >= 0) {
            return betweenKeptNodes.size();
        }
        targets.forEach(PodPlacement::setNode);
        int takenBack = 0;
        for (PodPlacement move : betweenKeptNodes) {
            if (timeIsUp.getAsBoolean()) {
                break;
            }
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
