package dev.kompact.sim.baseline;

import dev.kompact.optimizer.model.ClusterSnapshot;

/** A competitor's way of lowering a cluster's cost, replayed on a snapshot until it changes nothing more. */
public interface BaselinePolicy {

    String name();

    BaselineResult run(ClusterSnapshot snapshot);
}
