package dev.kompact.executor.cloud;

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

    /** Terminates the instance; one already terminated or unknown is not an error. */
    void terminate(String instanceId);
}
