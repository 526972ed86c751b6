package dev.kompact.sim.replay;

/** Told how far a run has got in simulated time, at each sample. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (policy, seed, seconds, endSeconds) -> {};

    void reached(String policy, long seed, long seconds, long endSeconds);
}
