package dev.kompact.sim.baseline;

import dev.kompact.optimizer.greedy.GreedyConsolidation;
import dev.kompact.optimizer.model.ClusterSnapshot;

/** Karpenter's consolidation ({@link GreedyConsolidation}) run to its end, as a baseline. */
public final class KarpenterConsolidation implements BaselinePolicy {

    @Override
    public String name() {
        return "Karpenter";
    }

    @Override
    public BaselineResult run(ClusterSnapshot snapshot) {
        long start = System.nanoTime();
        var after = new GreedyConsolidation().run(snapshot);
        return BaselineResult.of(name(), snapshot, after, (System.nanoTime() - start) / 1_000_000);
    }
}
