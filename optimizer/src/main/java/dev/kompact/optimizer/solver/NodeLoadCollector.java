package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.stream.uni.UniConstraintCollector;
import dev.kompact.optimizer.domain.PodPlacement;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sums the demand vectors of the pods on a node, incrementally: each pod added returns the undo that removes it.
 * Finishes with a fresh copy, so that every change is seen as a new load.
 */
final class NodeLoadCollector implements UniConstraintCollector<PodPlacement, NodeLoadCollector.Sum, long[]> {

    static final class Sum {
        private long[] total;

        private Runnable add(long[] demand) {
            if (total == null) {
                total = new long[demand.length];
            }
            for (int i = 0; i < demand.length; i++) {
                total[i] += demand[i];
            }
            return () -> {
                for (int i = 0; i < demand.length; i++) {
                    total[i] -= demand[i];
                }
            };
        }
    }

    @Override
    public Supplier<Sum> supplier() {
        return Sum::new;
    }

    @Override
    public BiFunction<Sum, PodPlacement, Runnable> accumulator() {
        return (sum, placement) -> sum.add(placement.getDemand());
    }

    @Override
    public Function<Sum, long[]> finisher() {
        return sum -> sum.total.clone();
    }
}
