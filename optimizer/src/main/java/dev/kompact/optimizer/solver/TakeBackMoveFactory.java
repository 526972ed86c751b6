package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Returns a moved pod to the node it runs on now. Late acceptance lets the search wander through moves that buy
 * nothing, and in a large cluster a random change rarely hits the one value that undoes them; every such move
 * left in the plan is a restart for nothing.
 */
public final class TakeBackMoveFactory implements MoveIteratorFactory<ClusterPlacement, ReassignPodsMove> {

    private static final int TRIES = 16;
    private static final ReassignPodsMove NOTHING = new ReassignPodsMove("none", List.of(), List.of());

    @Override
    public long getSize(ScoreDirector<ClusterPlacement> scoreDirector) {
        return scoreDirector.getWorkingSolution().getPlacements().size();
    }

    @Override
    public Iterator<ReassignPodsMove> createOriginalMoveIterator(ScoreDirector<ClusterPlacement> scoreDirector) {
        throw new UnsupportedOperationException("take-back moves are drawn at random only");
    }

    @Override
    public Iterator<ReassignPodsMove> createRandomMoveIterator(ScoreDirector<ClusterPlacement> scoreDirector,
            Random random) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public ReassignPodsMove next() {
                List<PodPlacement> placements = scoreDirector.getWorkingSolution().getPlacements();
                for (int i = 0; i < TRIES; i++) {
                    PodPlacement placement = placements.get(random.nextInt(placements.size()));
                    if (placement.isMoved() && !placement.isPinned()) {
                        return new ReassignPodsMove("take back", List.of(placement),
                                List.of(placement.getCurrentNode()));
                    }
                }
                return NOTHING;
            }
        };
    }
}
