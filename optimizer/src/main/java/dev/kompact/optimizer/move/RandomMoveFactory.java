package dev.kompact.optimizer.move;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import dev.kompact.optimizer.domain.ClusterPlacement;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/** A source of moves drawn at random from the working solution, one fresh move per draw and never exhausted. */
abstract class RandomMoveFactory implements MoveIteratorFactory<ClusterPlacement, ReassignPodsMove> {

    /** What a draw returns when it finds nothing worth doing: not doable, so the search draws again. */
    static final ReassignPodsMove NOTHING = new ReassignPodsMove("none", List.of(), List.of());

    /** One move from the solution as it is now. */
    abstract ReassignPodsMove draw(ClusterPlacement solution, Random random);

    @Override
    public long getSize(ScoreDirector<ClusterPlacement> scoreDirector) {
        return scoreDirector.getWorkingSolution().getPlacements().size();
    }

    @Override
    public Iterator<ReassignPodsMove> createOriginalMoveIterator(ScoreDirector<ClusterPlacement> scoreDirector) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " draws moves at random only");
    }

    @Override
    public Iterator<ReassignPodsMove> createRandomMoveIterator(
            ScoreDirector<ClusterPlacement> scoreDirector, Random random) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public ReassignPodsMove next() {
                return draw(scoreDirector.getWorkingSolution(), random);
            }
        };
    }
}
