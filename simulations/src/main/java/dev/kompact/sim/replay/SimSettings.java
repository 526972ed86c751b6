package dev.kompact.sim.replay;

import java.time.Duration;
import java.util.Random;

/**
 * How the simulated cluster behaves and how often it is looked at.
 *
 * @param interval how often a policy may consolidate
 * @param provisioningMin shortest time from launching an instance to its node being Ready (drawn per node,
 *     uniformly up to {@code provisioningMax}, from the run's seed)
 * @param restartDelay how long an evicted pod's replacement takes, once bound, to be Ready
 * @param liveFreeze how long a live-migrated pod is frozen
 * @param liveShare share of pods that opt in to live migration ({@code kompact.dev/live-migrate}), drawn per pod
 *     from the seed; live migration needs the Kompact agent, which only the Kompact policy's nodes run
 * @param scoring the simulated scheduler's ranking of nodes
 * @param solveLimit the Kompact planner's time limit per plan
 * @param sampleStep time between samples of the series
 * @param boundStep time between lower-bound computations (each one builds a planning problem)
 * @param fixedFleet start with the trace's own nodes, mapped to catalogue offerings, instead of an empty cluster
 */
public record SimSettings(
        Duration interval,
        Duration provisioningMin,
        Duration provisioningMax,
        Duration restartDelay,
        Duration liveFreeze,
        double liveShare,
        ScoringPolicy scoring,
        Duration solveLimit,
        Duration sampleStep,
        Duration boundStep,
        boolean fixedFleet) {

    public static SimSettings defaults(Duration interval) {
        return new SimSettings(
                interval,
                Duration.ofSeconds(45),
                Duration.ofSeconds(90),
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                0.5,
                ScoringPolicy.LEAST_ALLOCATED,
                Duration.ofSeconds(2),
                interval,
                Duration.ofHours(1),
                false);
    }

    /** A node's time from launch to Ready, drawn from the run's generator. */
    long provisioningDelaySeconds(Random random) {
        return provisioningMin.toSeconds()
                + (long) (random.nextDouble() * (provisioningMax.toSeconds() - provisioningMin.toSeconds()));
    }

    public SimSettings withFixedFleet(boolean fleet) {
        return new SimSettings(
                interval,
                provisioningMin,
                provisioningMax,
                restartDelay,
                liveFreeze,
                liveShare,
                scoring,
                solveLimit,
                sampleStep,
                boundStep,
                fleet);
    }

    public SimSettings withSolveLimit(Duration limit) {
        return new SimSettings(
                interval,
                provisioningMin,
                provisioningMax,
                restartDelay,
                liveFreeze,
                liveShare,
                scoring,
                limit,
                sampleStep,
                boundStep,
                fixedFleet);
    }

    public SimSettings withBoundStep(Duration step) {
        return new SimSettings(
                interval,
                provisioningMin,
                provisioningMax,
                restartDelay,
                liveFreeze,
                liveShare,
                scoring,
                solveLimit,
                sampleStep,
                step,
                fixedFleet);
    }
}
