package dev.kompact.sim.bench;

import java.util.List;

/** The figures of one cluster size. */
record BenchRow(
        int nodes,
        int pods,
        long costBeforeMicros,
        long timeLimitSeconds,
        List<BaselineRun> baselines,
        KompactOutcome kompact) {}
