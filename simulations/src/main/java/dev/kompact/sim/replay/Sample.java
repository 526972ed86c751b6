package dev.kompact.sim.replay;

/**
 * The cluster at one instant: billed nodes (Ready or not), their hourly price, what running pods request and what
 * the nodes provide (CPU in millicores, memory in bytes), pending pods, and the lower bound on the hourly price of
 * holding the running pods ({@code -1} where it was not computed).
 */
public record Sample(
        long seconds,
        int nodes,
        long pricePerHourMicros,
        long requestedCpuMillis,
        long requestedMemoryBytes,
        long requestedGpus,
        long provisionedCpuMillis,
        long provisionedMemoryBytes,
        long provisionedGpus,
        int pendingPods,
        long lowerBoundPerHourMicros) {}
