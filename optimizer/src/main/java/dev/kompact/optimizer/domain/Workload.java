package dev.kompact.optimizer.domain;

/** The replicas of one controller, and how many of them one spot pool (type × zone) may hold before it is risky. */
public final class Workload {

    private final String id;
    private final int replicas;
    private final int maxPerSpotPool;

    public Workload(String id, int replicas, int maxPerSpotPool) {
        this.id = id;
        this.replicas = replicas;
        this.maxPerSpotPool = maxPerSpotPool;
    }

    public int getReplicas() {
        return replicas;
    }

    public int getMaxPerSpotPool() {
        return maxPerSpotPool;
    }

    @Override
    public String toString() {
        return id;
    }
}
