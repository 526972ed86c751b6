package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.InstanceOffering;
import java.util.LinkedHashSet;
import java.util.Set;

/** A bought instance: billed from launch to termination, schedulable once Ready and while it has no taint. */
public final class SimNode {

    private final String name;
    private final String instanceId;
    private final InstanceOffering offering;
    private final long launchedAt;
    private final long readyAt;
    private final Set<String> taints = new LinkedHashSet<>();
    private boolean ready;

    SimNode(String name, String instanceId, InstanceOffering offering, long launchedAt, long readyAt) {
        this.name = name;
        this.instanceId = instanceId;
        this.offering = offering;
        this.launchedAt = launchedAt;
        this.readyAt = readyAt;
    }

    public String name() {
        return name;
    }

    public String instanceId() {
        return instanceId;
    }

    public InstanceOffering offering() {
        return offering;
    }

    public long launchedAt() {
        return launchedAt;
    }

    public long readyAt() {
        return readyAt;
    }

    public boolean ready() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    public Set<String> taints() {
        return Set.copyOf(taints);
    }

    boolean schedulable() {
        return ready && taints.isEmpty();
    }

    void taint(String key) {
        taints.add(key);
    }

    void untaint(String key) {
        taints.remove(key);
    }
}
