package dev.kompact.executor.execution;

import java.time.Duration;

/**
 * How patient the executor is. Every wait is bounded: a plan that cannot go on stops with a reason rather than
 * holding nodes disrupted forever.
 *
 * @param poll time between looks at the cluster while a step waits
 * @param nodeReady longest a launched instance may take to become a Ready Node
 * @param evictionGiveUp longest a PodDisruptionBudget may keep refusing an eviction
 * @param replacementReady longest an evicted pod's replacement may take to become Ready
 * @param drainGrace added to the largest {@code terminationGracePeriodSeconds} of the pods a drain evicts
 * @param firstBackoff wait after the first refused eviction; doubled per refusal up to {@code maxBackoff}
 * @param stepErrorGiveUp longest a step may keep failing with an error (the cloud refuses, the API server answers
 *     500 or 403): past it the plan fails, its nodes go back into service, and the next round can plan
 */
public record ExecutorSettings(
        Duration poll,
        Duration nodeReady,
        Duration evictionGiveUp,
        Duration replacementReady,
        Duration drainGrace,
        Duration firstBackoff,
        Duration maxBackoff,
        Duration stepErrorGiveUp) {

    public static final Duration STEP_ERROR_GIVE_UP = Duration.ofMinutes(5);

    public ExecutorSettings(
            Duration poll,
            Duration nodeReady,
            Duration evictionGiveUp,
            Duration replacementReady,
            Duration drainGrace,
            Duration firstBackoff,
            Duration maxBackoff) {
        this(
                poll,
                nodeReady,
                evictionGiveUp,
                replacementReady,
                drainGrace,
                firstBackoff,
                maxBackoff,
                STEP_ERROR_GIVE_UP);
    }

    public static ExecutorSettings defaults() {
        return new ExecutorSettings(
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                Duration.ofMinutes(2),
                Duration.ofSeconds(5),
                Duration.ofMinutes(1));
    }

    public Duration backoff(int refusals) {
        Duration wait = firstBackoff;
        for (int i = 1; i < refusals && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
