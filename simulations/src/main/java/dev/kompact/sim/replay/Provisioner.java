package dev.kompact.sim.replay;

import java.util.List;

/** Buys nodes for pods that no Ready node admits and no node on its way is meant for. */
public interface Provisioner {

    String name();

    void provision(Simulator simulator, List<SimPod> unschedulable);
}
