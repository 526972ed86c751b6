package dev.kompact.executor.cloud;

import dev.kompact.optimizer.model.CapacityType;
import java.util.Map;

/**
 * One instance to start.
 *
 * @param token unique per wanted instance and stable across retries: at most 64 ASCII characters
 * @param nodeLabels labels the instance's Node must register with (its kubelet's {@code --node-labels})
 */
public record LaunchRequest(String token, String instanceType, String zone, CapacityType capacityType,
    Map<String, String> nodeLabels) {

  public static final int MAX_TOKEN_LENGTH = 64;

  public LaunchRequest {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("launch token \"" + token + "\" must be 1 to " + MAX_TOKEN_LENGTH
          + " characters");
    }
    nodeLabels = Map.copyOf(nodeLabels);
  }
}
