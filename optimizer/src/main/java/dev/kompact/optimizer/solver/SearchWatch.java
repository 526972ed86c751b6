package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.Solver;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Stops a search early, from beside it: Timefold's own terminations cannot say "once the plan is near its bound" in
 * cost, and report no reason. The search is stopped when its best plan reaches {@code targetSoftScore} (near the
 * bound; computed while the search runs, so unknown at first, and lowered as a tighter bound comes in), or once it
 * has not improved for {@code unimprovedNanos}; otherwise Timefold's time limit ends it.
 */
final class SearchWatch implements AutoCloseable {

    /** A target no score reaches: no bound known. */
    static final LongSupplier NO_TARGET = () -> Long.MAX_VALUE;

    private static final long POLL_MILLIS = 50;

    private final Solver<?> solver;
    private final long unimprovedNanos;
    private final LongSupplier targetSoftScore;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kompact-search-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long lastImprovementNanos = System.nanoTime();
    private volatile StopReason stopped;
    private volatile HardMediumSoftLongScore best;

    SearchWatch(Solver<?> solver, long unimprovedNanos, LongSupplier targetSoftScore) {
        this.solver = solver;
        this.unimprovedNanos = unimprovedNanos;
        this.targetSoftScore = targetSoftScore;
        timer.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void improved(HardMediumSoftLongScore newBest) {
        lastImprovementNanos = System.nanoTime();
        best = newBest;
        checkNearBound();
    }

    private void checkNearBound() {
        HardMediumSoftLongScore score = best;
        long target = targetSoftScore.getAsLong();
        if (score != null
                && target != Long.MAX_VALUE
                && score.isFeasible()
                && score.mediumScore() == 0
                && score.softScore() >= target) {
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
