package dev.kompact.executor.cloud;

import java.util.List;

/**
 * An instance the cloud started; its Node carries {@code providerId} as {@code spec.providerID}.
 *
 * @param offering the offering that was filled
 * @param passedOver why each offering tried before it was not filled (e.g. insufficient capacity), in order
 */
public record LaunchedInstance(String instanceId, Offering offering, List<String> passedOver) {

    public LaunchedInstance {
        passedOver = List.copyOf(passedOver);
    }

    public String zone() {
        return offering.zone();
    }

    public ProviderId providerId() {
        return new ProviderId(zone(), instanceId);
    }
}
