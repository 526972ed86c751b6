package dev.kompact.optimizer.solver;

import java.time.Duration;

/**
 * How long to plan. {@code timeLimit} bounds the whole plan, not only the search. The search stops earlier only when
 * the best plan is within {@link #NEAR_BOUND} of the lower bound, or has not improved for {@code unimprovedLimit}
 * grown with the problem ({@link #unimprovedLimitFor}): a long while, because a search far from its bound that
 * stalls for a few seconds often improves again.
 */
public record SolverSettings(Duration timeLimit, Duration unimprovedLimit, long randomSeed) {

    /** A gap to the bound, as a share of it, below which more search is not worth the user's time. */
    public static final double NEAR_BOUND = 0.01;

    private static final Duration DEFAULT_UNIMPROVED = Duration.ofSeconds(10);
    private static final Duration UNIMPROVED_PER_POD = Duration.ofMillis(5);

    public static SolverSettings of(Duration timeLimit) {
        return new SolverSettings(timeLimit, DEFAULT_UNIMPROVED, 0L);
    }

    /** {@code unimprovedLimit}, or 5 ms per pod to place when that is longer. */
    public Duration unimprovedLimitFor(int pods) {
        Duration scaled = UNIMPROVED_PER_POD.multipliedBy(pods);
        return scaled.compareTo(unimprovedLimit) > 0 ? scaled : unimprovedLimit;
    }
}
