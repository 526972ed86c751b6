package dev.kompact.optimizer.solver;

import java.time.Duration;

/**
 * How long to search. The solver stops at {@code timeLimit}, or earlier once the best plan has not improved for
 * {@code unimprovedLimit}: a converged search only burns the user's time.
 */
public record SolverSettings(Duration timeLimit, Duration unimprovedLimit, long randomSeed) {

    public static SolverSettings of(Duration timeLimit) {
        Duration unimproved = Duration.ofMillis(timeLimit.toMillis() / 3);
        if (unimproved.compareTo(Duration.ofSeconds(10)) > 0) {
            unimproved = Duration.ofSeconds(10);
        }
        return new SolverSettings(Duration.ofMillis(timeLimit.toMillis()), unimproved, 0L);
    }
}
