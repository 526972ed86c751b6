package dev.kompact.sim.replay;

import java.util.List;

/**
 * One policy's run over a trace with one seed. Money in dollars (total) and micro-dollars per hour (series); times
 * in seconds of simulated time unless named millis (wall time).
 */
public record RunResult(
        String policy,
        String description,
        String provisioner,
        String scheduler,
        long seed,
        long simulatedSeconds,
        double nodeHours,
        double totalCost,
        double averageCostPerHour,
        double podPendingSeconds,
        int pods,
        int evictions,
        int liveMigrations,
        double restartsPerPod,
        int nodesLaunched,
        int nodesTerminated,
        int plansMade,
        int plansExecuted,
        int plansFailed,
        List<Long> solveMillis,
        List<String> planOutcomes,
        long wallMillis,
        List<Sample> samples) {

    RunResult(
            String policy,
            String description,
            String provisioner,
            String scheduler,
            long seed,
            long simulatedSeconds,
            RunCounters counters,
            List<Sample> samples,
            long wallMillis) {
        this(
                policy,
                description,
                provisioner,
                scheduler,
                seed,
                simulatedSeconds,
                counters.nodeSeconds / 3600.0,
                counters.priceSeconds / 3600.0 / 1_000_000.0,
                simulatedSeconds == 0 ? 0 : counters.priceSeconds / (double) simulatedSeconds / 1_000_000.0,
                counters.pendingPodSeconds,
                counters.podsSeen,
                counters.evictions,
                counters.liveMigrations,
                counters.podsSeen == 0 ? 0 : (double) counters.evictions / counters.podsSeen,
                counters.nodesLaunched,
                counters.nodesTerminated,
                counters.plansMade,
                counters.plansExecuted,
                counters.plansFailed,
                List.copyOf(counters.solveMillis),
                List.copyOf(counters.planOutcomes),
                wallMillis,
                samples);
    }
}
