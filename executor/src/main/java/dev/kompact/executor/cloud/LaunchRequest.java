package dev.kompact.executor.cloud;

import dev.kompact.optimizer.model.CapacityType;
import java.util.List;
import java.util.Map;

/**
 * One instance to start, from the first of {@code offerings} that the cloud can fill.
 *
 * @param token unique per wanted instance and stable across retries: at most 64 ASCII characters
 * @param offerings the acceptable offerings in order of preference: the planned one first, then alternatives that
 *     fit the same pods (see the executor's {@code AcceptableOfferings})
 * @param nodeLabels labels the instance's Node must carry whichever offering wins (e.g. its plan)
 */
public record LaunchRequest(
        String token, List<Offering> offerings, CapacityType capacityType, Map<String, String> nodeLabels) {

    public static final int MAX_TOKEN_LENGTH = 64;

    public LaunchRequest {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    "launch token \"" + token + "\" must be 1 to " + MAX_TOKEN_LENGTH + " characters");
        }
        if (offerings.isEmpty()) {
            throw new IllegalArgumentException("launch " + token + " has no offering to try");
        }
        offerings = List.copyOf(offerings);
        nodeLabels = Map.copyOf(nodeLabels);
    }

    /** The offering the plan chose. */
    public Offering planned() {
        return offerings.get(0);
    }
}
