package dev.kompact.sim.packing;

/** The figures of one packing set: Kompact and the default-configuration peer, against the same bound. */
public record PackingRow(
        PackingShape shape, int nodes, int pods, long boundMicros, PackingRun kompact, PackingRun peer) {

    /** Kompact's cost over the peer's: below 1 when Kompact is ahead. */
    public double kompactPerPeer() {
        return peer.costMicros() == 0 ? 0 : (double) kompact.costMicros() / peer.costMicros();
    }
}
