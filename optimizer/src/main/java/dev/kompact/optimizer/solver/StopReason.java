package dev.kompact.optimizer.solver;

/** Why the search stopped, as the plan reports it. */
public enum StopReason {
    TIME_LIMIT("time limit"),
    NEAR_BOUND("within 1% of the lower bound"),
    UNIMPROVED("no improvement for a long while");

    private final String description;

    StopReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
