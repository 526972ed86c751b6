package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.Pod;

/**
 * A live pod of the trace. An eviction gives it a new UID, as the replacement its controller creates would have, and
 * sends it back to pending; it is Ready {@link SimSettings#restartDelay()} after it is bound again.
 */
public final class SimPod {

    private final TracePod trace;
    private final Pod model;
    private String uid;
    private String node;
    private long readyAt;
    private boolean restarting;
    private long checkedAtCapacity = -1;

    SimPod(TracePod trace, Pod model, String uid) {
        this.trace = trace;
        this.model = model;
        this.uid = uid;
    }

    public TracePod trace() {
        return trace;
    }

    /** The pod as the optimizer sees it, without a node. */
    public Pod model() {
        return model;
    }

    public String name() {
        return model.name();
    }

    public String uid() {
        return uid;
    }

    /** The node it is bound to, or null while pending. */
    public String node() {
        return node;
    }

    public boolean ready(long now) {
        return node != null && now >= readyAt;
    }

    void bind(String nodeName, long readyAtSeconds) {
        node = nodeName;
        readyAt = readyAtSeconds;
        restarting = false;
    }

    /** Moved live: same UID, Ready on the target as soon as it thaws. */
    void moveLive(String nodeName) {
        node = nodeName;
    }

    void evicted(String newUid) {
        node = null;
        uid = newUid;
        restarting = true;
    }

    void unbind() {
        node = null;
    }

    boolean restarting() {
        return restarting;
    }

    long checkedAtCapacity() {
        return checkedAtCapacity;
    }

    void checkedAtCapacity(long version) {
        checkedAtCapacity = version;
    }
}
