package dev.kompact.sim.replay;

/** A way to run a cluster's nodes: how it grows when pods wait, and how it shrinks every interval. */
public interface Policy {

    /** Short id used on the command line and in file names. */
    String id();

    String description();

    Provisioner provisioner();

    /** Called every policy interval; may let simulated time pass ({@link Simulator#advanceTo}). */
    void consolidate(Simulator simulator);

    /** Whether the nodes run the Kompact agent, which live migration needs. */
    default boolean runsAgents() {
        return false;
    }
}
