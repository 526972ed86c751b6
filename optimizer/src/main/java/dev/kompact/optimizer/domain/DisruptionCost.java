package dev.kompact.optimizer.domain;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.WellKnownLabels;

/**
 * What moving a pod costs, in micro-dollars per hour so that it trades against node prices. A restart is priced at
 * half the bar the plan gate sets per pod ({@code savingsPerDisruption} times the cluster's cost per running pod):
 * dear enough that moves buying nothing are taken back, cheap enough that the search can still cross the steps of a
 * consolidation that pays only once nodes empty. Measured with repack moves: on the benchmark clusters (1,000
 * nodes) the full bar gives $198.70 and 8.1k moves, half $199.35 and 7.9k; on the bundled sample the full bar stalls
 * the search ($11.66/h, 33 nodes left) where half reaches $8.27/h and 18 nodes. A live migration costs a tenth of a
 * restart. Scaled as Karpenter scales eviction cost (pkg/utils/disruption: 1 + deletion-cost / 2^27 + priority /
 * 2^25, clamped to [0.1, 10] where Karpenter allows down to -10: no move is free), so that critical pods move last.
 */
public final class DisruptionCost {

    public static final long MIN_RESTART_MICROS = 100;
    private static final int RESTART_SHARE_OF_BAR = 2;
    private static final double LIVE_SHARE_OF_RESTART = 0.1;

    private DisruptionCost() {}

    /** The price of one restart of an ordinary pod in a cluster of this cost and size. */
    public static long restartMicros(double savingsPerDisruption, long clusterCostMicros, int runningPods) {
        long share = runningPods == 0
                ? 0
                : Math.round(savingsPerDisruption * clusterCostMicros / runningPods / RESTART_SHARE_OF_BAR);
        return Math.max(MIN_RESTART_MICROS, share);
    }

    public static long of(Pod pod, Mobility mobility, long restartMicros) {
        double factor = 1.0 + deletionCost(pod) / Math.pow(2, 27) + pod.priority() / Math.pow(2, 25);
        factor = Math.max(0.1, Math.min(10.0, factor));
        return Math.round(restartMicros * restarts(mobility) * factor);
    }

    /** How many restarts moving a pod this way is worth: one, or a tenth for a live migration. */
    public static double restarts(Mobility mobility) {
        return mobility == Mobility.LIVE ? LIVE_SHARE_OF_RESTART : 1.0;
    }

    private static double deletionCost(Pod pod) {
        try {
            return Double.parseDouble(pod.annotations().getOrDefault(WellKnownLabels.POD_DELETION_COST, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
