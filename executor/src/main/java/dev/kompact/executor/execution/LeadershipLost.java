package dev.kompact.executor.execution;

/**
 * Thrown by a port that refuses to act because this controller no longer holds the Lease. Not a step's error: the
 * plan is left as journaled, for the next leader to resume.
 */
public final class LeadershipLost extends IllegalStateException {

    public LeadershipLost(String message) {
        super(message);
    }
}
