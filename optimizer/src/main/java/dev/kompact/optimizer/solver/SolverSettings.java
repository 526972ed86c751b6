package dev.kompact.optimizer.solver;

import java.time.Duration;

/**
 * How long to search. The solver stops at {@code timeLimit}, or earlier once the best plan has not improved for
 * {@code unimprovedLimit}: a converged search only burns the user's time. With a {@code stepLimit} above zero it
 * stops after that many local-search steps instead, whatever the time: the same snapshot and seed then give the
 * same plan on any machine, which is how a change is shown not to change plans.
 */
public record SolverSettings(Duration timeLimit, Duration unimprovedLimit, long randomSeed, int stepLimit) {

    public SolverSettings(Duration timeLimit, Duration unimprovedLimit, long randomSeed) {
        this(timeLimit, unimprovedLimit, randomSeed, 0);
    }

    public static SolverSettings steps(int stepLimit, long randomSeed) {
        return new SolverSettings(Duration.ZERO, Duration.ZERO, randomSeed, stepLimit);
    }

    public static SolverSettings of(Duration timeLimit) {
        Duration unimproved = Duration.ofMillis(timeLimit.toMillis() / 3);
        if (unimproved.compareTo(Duration.ofSeconds(10)) > 0) {
            unimproved = Duration.ofSeconds(10);
        }
        return new SolverSettings(Duration.ofMillis(timeLimit.toMillis()), unimproved, 0L);
    }
}
