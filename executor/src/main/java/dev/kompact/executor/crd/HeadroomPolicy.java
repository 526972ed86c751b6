package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kompact.optimizer.model.Headroom;

/** What every node, or the cluster's nodes together, keep free of requests after a plan (the optimizer's {@code Headroom}). */
public class HeadroomPolicy {

    @JsonPropertyDescription("Share of each node's allocatable CPU kept free of requests, in percent (0 to under 100).")
    public double cpuPercent = 0;

    @JsonPropertyDescription(
            "Share of each node's allocatable memory kept free of requests, in percent (0 to under" + " 100).")
    public double memoryPercent = 0;

    @JsonPropertyDescription(
            "true: a plan may not use the headroom; false: using it costs the share of the node's" + " price it takes.")
    public boolean hard = false;

    @JsonPropertyDescription("Node: every node keeps the shares free; Cluster: the nodes together do, so that a surge"
            + " fits somewhere while single nodes may fill up.")
    public Headroom.Scope scope = Headroom.Scope.NODE;

    /** @throws IllegalArgumentException naming the field when a share is out of range */
    public Headroom toHeadroom() {
        try {
            return new Headroom(cpuPercent / 100, memoryPercent / 100, hard, scope);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec.headroom: cpuPercent and memoryPercent must be from 0 to under"
                    + " 100, got " + cpuPercent + " and " + memoryPercent);
        }
    }
}
