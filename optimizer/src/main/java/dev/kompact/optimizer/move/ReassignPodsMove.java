package dev.kompact.optimizer.move;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Puts several pods on new nodes in one step, so that a whole node empties (or fills) at once. */
final class ReassignPodsMove extends AbstractMove<ClusterPlacement> {

    private static final String VARIABLE = "node";

    private final String kind;
    private final List<PodPlacement> placements;
    private final List<NodeSlot> targets;

    ReassignPodsMove(String kind, List<PodPlacement> placements, List<NodeSlot> targets) {
        this.kind = kind;
        this.placements = List.copyOf(placements);
        this.targets = List.copyOf(targets);
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<ClusterPlacement> scoreDirector) {
        for (int i = 0; i < placements.size(); i++) {
            if (placements.get(i).getNode() != targets.get(i)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<ClusterPlacement> scoreDirector) {
        for (int i = 0; i < placements.size(); i++) {
            PodPlacement placement = placements.get(i);
            scoreDirector.beforeVariableChanged(placement, VARIABLE);
            placement.setNode(targets.get(i));
            scoreDirector.afterVariableChanged(placement, VARIABLE);
        }
    }

    @Override
    public Collection<?> getPlanningEntities() {
        return placements;
    }

    @Override
    public Collection<?> getPlanningValues() {
        return targets;
    }

    @Override
    public String getSimpleMoveTypeDescription() {
        return kind;
    }

    @Override
    public String toString() {
        return kind + " " + placements.stream().map(PodPlacement::getId).collect(Collectors.joining(",")) + " -> "
                + targets;
    }
}
