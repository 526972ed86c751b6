package dev.kompact.sim.bench;

import dev.kompact.optimizer.plan.RebalancePlan;
import java.util.List;

/**
 * What one Kompact planning run gave: the plan (null when it failed, with {@code failure} saying why), the first
 * moment a plan breaking no rule and placing every pod was known and the moment of the best one (-1 if never), both
 * from the call to the planner, so they include building the problem; peak heap and GC time; and what the plan
 * verifier found wrong.
 */
record KompactOutcome(
        RebalancePlan plan,
        Throwable failure,
        long firstValidMillis,
        long bestMillis,
        long wallMillis,
        long peakHeapBytes,
        long gcMillis,
        List<String> violations) {}
