package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.Solver;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Stops a search early, from beside it: Timefold's own terminations cannot say "once the plan is near its bound" in
 * cost, and report no reason. The search is stopped when its best plan's nodes cost at most {@code costTarget} (near
 * the bound; computed while the search runs, so unknown at first, and raised as a tighter bound comes in), or once it
 * has not improved for {@code unimprovedNanos}; otherwise Timefold's time limit ends it. The target is on the nodes'
 * price alone, not the whole soft score: a consolidation pays for its moves too, and a plan at the bound's price
 * would otherwise never count as there.
 */
final class SearchWatch implements AutoCloseable {

    /** A target no plan reaches: no bound known. */
    static final LongSupplier NO_TARGET = () -> Long.MIN_VALUE;

    private static final long POLL_MILLIS = 50;

    private final Solver<?> solver;
    private final long unimprovedNanos;
    private final LongSupplier costTarget;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kompact-search-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long lastImprovementNanos = System.nanoTime();
    private volatile StopReason stopped;
    private volatile Best best;

    /** The best plan so far: its score, and what its nodes cost. */
    private record Best(HardMediumSoftLongScore score, long costMicros) {}

    SearchWatch(Solver<?> solver, long unimprovedNanos, LongSupplier costTarget) {
        this.solver = solver;
        this.unimprovedNanos = unimprovedNanos;
        this.costTarget = costTarget;
        timer.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void improved(HardMediumSoftLongScore newBest, long costMicros) {
        lastImprovementNanos = System.nanoTime();
        best = new Best(newBest, costMicros);
        checkNearBound();
    }

    private void checkNearBound() {
        Best plan = best;
        if (plan != null
                && plan.score().isFeasible()
                && plan.score().mediumScore() == 0
                && plan.costMicros() <= costTarget.getAsLong()) {
            stop(StopReason.NEAR_BOUND);
        }
    }

    private void check() {
        checkNearBound();
        if (System.nanoTime() - lastImprovementNanos > unimprovedNanos) {
            stop(StopReason.UNIMPROVED);
        }
    }

    private synchronized void stop(StopReason reason) {
        if (stopped == null) {
            stopped = reason;
            solver.terminateEarly();
        }
    }

    /** Why the search stopped: this watch's reason, or else the time limit. */
    StopReason reason() {
        return stopped == null ? StopReason.TIME_LIMIT : stopped;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
