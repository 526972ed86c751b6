package dev.kompact.executor.cloud;

import dev.kompact.optimizer.model.CapacityType;
import java.util.List;
import java.util.Map;

/**
 * One instance to start, from the first of {@code placements} that the cloud can fill.
 *
 * @param token unique per wanted instance and stable across retries: at most 64 ASCII characters
 * @param placements the acceptable offerings in order of preference: the planned one first, then alternatives that
 *     fit the same pods (see the executor's {@code AcceptableOfferings})
 * @param nodeLabels labels the instance's Node must carry whichever placement wins (e.g. its plan)
 */
public record LaunchRequest(String token, List<Placement> placements, CapacityType capacityType,
    Map<String, String> nodeLabels) {

  public static final int MAX_TOKEN_LENGTH = 64;

  public LaunchRequest {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("launch token \"" + token + "\" must be 1 to " + MAX_TOKEN_LENGTH
          + " characters");
    }
    if (placements.isEmpty()) {
      throw new IllegalArgumentException("launch " + token + " has no placement to try");
    }
    placements = List.copyOf(placements);
    nodeLabels = Map.copyOf(nodeLabels);
  }

  /** The offering the plan chose. */
  public Placement planned() {
    return placements.get(0);
  }
}
