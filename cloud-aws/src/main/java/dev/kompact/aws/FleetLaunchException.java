package dev.kompact.aws;

import java.util.List;

/** No acceptable placement yielded an instance; {@link #unfilled()} says what each one answered. */
public final class FleetLaunchException extends RuntimeException {

    private final List<FleetAttempt> unfilled;

    FleetLaunchException(List<FleetAttempt> unfilled) {
        super("EC2 launched no instance for any acceptable placement: " + unfilled
                + ". Capacity errors pass with time or with more instance types or zones in the policy");
        this.unfilled = List.copyOf(unfilled);
    }

    public List<FleetAttempt> unfilled() {
        return unfilled;
    }
}
