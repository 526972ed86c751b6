package dev.kompact.sim.replay;

/**
 * A pod of a trace: what it requests, when it is created and deleted (seconds from the trace's start), and the
 * controller it belongs to. {@code hostnameSpread} asks for at most one more pod of its group on any node than on
 * the emptiest (a hard topology spread over {@code kubernetes.io/hostname}).
 */
public record TracePod(
        String name,
        String group,
        long cpuMillis,
        long memoryBytes,
        int gpus,
        long createdSeconds,
        long deletedSeconds,
        boolean hostnameSpread) {

    public TracePod {
        if (deletedSeconds < createdSeconds) {
            throw new IllegalArgumentException("pod " + name + " is deleted at " + deletedSeconds
                    + " s, before it is created at " + createdSeconds + " s");
        }
    }
}
