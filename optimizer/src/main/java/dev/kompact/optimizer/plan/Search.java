package dev.kompact.optimizer.plan;

/**
 * How the search went: why it stopped ("time limit", "within 1% of the lower bound", "no improvement for a long
 * while"), when it found the plan it returned, and the limit the whole plan was given (all in ms).
 */
public record Search(String stoppedBecause, long bestMillis, long timeLimitMillis) {}
