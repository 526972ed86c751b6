package dev.kompact.sim.bench;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.solver.SolverSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Plans a snapshot with Kompact under a time limit and measures the search; failures are reported, not thrown. */
final class KompactRun {

    private KompactRun() {}

    static KompactOutcome run(ClusterSnapshot snapshot, Duration timeLimit) {
        AtomicLong firstValid = new AtomicLong(-1);
        AtomicLong best = new AtomicLong(-1);
        long start = System.nanoTime();
        try (HeapSampler heap = new HeapSampler()) {
            RebalancePlan plan = null;
            Throwable failure = null;
            try {
                plan = new Planner(SolverSettings.of(timeLimit), (elapsed, score) -> {
                            long now = (System.nanoTime() - start) / 1_000_000;
                            if (score.hardScore() == 0 && score.mediumScore() == 0) {
                                firstValid.compareAndSet(-1, now);
                                best.set(now);
                            }
                        })
                        .plan(snapshot);
            } catch (RuntimeException | OutOfMemoryError e) {
                failure = e;
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            long peak = heap.peakBytes();
            long gc = heap.gcMillisSinceStart();
            List<String> violations = plan == null ? List.of() : plan.decision().violations();
            return new KompactOutcome(plan, failure, firstValid.get(), best.get(), wall, peak, gc, violations);
        }
    }
}
