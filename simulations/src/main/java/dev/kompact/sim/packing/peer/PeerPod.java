package dev.kompact.sim.packing.peer;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

/** A pod of the peer's model: its demand per resource, and the node it goes on. */
@PlanningEntity
public class PeerPod {

    @PlanningId
    private String name;

    private long[] demand;

    @PlanningVariable
    private PeerNode node;

    public PeerPod() {}

    public PeerPod(String name, long[] demand) {
        this.name = name;
        this.demand = demand;
    }

    public String getName() {
        return name;
    }

    public long demand(int resource) {
        return demand[resource];
    }

    public PeerNode getNode() {
        return node;
    }

    public void setNode(PeerNode node) {
        this.node = node;
    }
}
