package dev.kompact.executor.cloud;

/** An instance the cloud started; its Node carries {@code providerId} as {@code spec.providerID}. */
public record LaunchedInstance(String instanceId, String zone) {

  public ProviderId providerId() {
    return new ProviderId(zone, instanceId);
  }
}
