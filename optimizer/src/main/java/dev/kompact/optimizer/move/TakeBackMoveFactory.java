package dev.kompact.optimizer.move;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.PodPlacement;
import java.util.List;
import java.util.Random;

/**
 * Returns a moved pod to the node it runs on now. Late acceptance lets the search wander through moves that buy
 * nothing, and in a large cluster a random change rarely hits the one value that undoes them; every such move
 * left in the plan is a restart for nothing.
 */
public final class TakeBackMoveFactory extends RandomMoveFactory {

    private static final int TRIES = 16;

    @Override
    ReassignPodsMove draw(ClusterPlacement solution, Random random) {
        List<PodPlacement> placements = solution.getPlacements();
        for (int i = 0; i < TRIES; i++) {
            PodPlacement placement = placements.get(random.nextInt(placements.size()));
            if (placement.isMoved() && !placement.isPinned()) {
                return new ReassignPodsMove("take back", List.of(placement), List.of(placement.getCurrentNode()));
            }
        }
        return NOTHING;
    }
}
