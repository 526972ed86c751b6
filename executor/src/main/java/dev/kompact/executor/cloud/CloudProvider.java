package dev.kompact.executor.cloud;

import dev.kompact.executor.ReadOnly;

/**
 * The executor's port to the cloud: buy a node, give one back. Nodes join the cluster on their own; the executor
 * finds a launched instance's Node by {@code spec.providerID} (see {@link ProviderId}).
 */
public interface CloudProvider {

    /**
     * Starts one instance. Idempotent per {@link LaunchRequest#token()}: a repeated call with the same token returns
     * the instance the first call started (EC2's {@code ClientToken}), so a controller that crashed between asking and
     * recording the answer can simply ask again.
     */
    LaunchedInstance launch(LaunchRequest request);

    /**
     * Throws when the instance is not one this cluster may give back (on EC2: its {@code kompact.dev/cluster} tag).
     * An instance already gone passes. Asked before the last look at the node, so that nothing but the termination
     * itself follows that look.
     */
    @ReadOnly
    void checkTerminable(String instanceId);

    /**
     * Terminates the instance, asking nothing else first: {@link #checkTerminable} has. One already terminated or
     * unknown is not an error.
     */
    void terminate(String instanceId);
}
