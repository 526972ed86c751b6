package dev.kompact.sim.packing.peer;

/** A node of the peer's model: what it holds per resource and what it costs per hour when used. */
public record PeerNode(String name, long[] capacity, long pricePerHourMicros) {

    @Override
    public String toString() {
        return name;
    }
}
