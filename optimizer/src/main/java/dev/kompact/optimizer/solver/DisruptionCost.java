package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.WellKnownLabels;

/**
 * What moving a pod costs, in micro-dollars per hour so that it trades against node prices: a restart is worth
 * {@value #RESTART_MICROS} µ$/h (a $0.10/h node pays for a hundred), a live migration a tenth of that. Scaled as
 * Karpenter scales eviction cost (pkg/utils/disruption: 1 + deletion-cost / 2^27 + priority / 2^25, clamped to
 * [0.1, 10] where Karpenter allows down to -10: no move is free), so that critical pods move last.
 */
public final class DisruptionCost {

    static final long RESTART_MICROS = 1_000;
    static final long LIVE_MICROS = 100;

    private DisruptionCost() {
    }

    public static long of(Pod pod, Mobility mobility) {
        double factor = 1.0 + deletionCost(pod) / Math.pow(2, 27) + pod.priority() / Math.pow(2, 25);
        factor = Math.max(0.1, Math.min(10.0, factor));
        return Math.round((mobility == Mobility.LIVE ? LIVE_MICROS : RESTART_MICROS) * factor);
    }

    private static double deletionCost(Pod pod) {
        try {
            return Double.parseDouble(pod.annotations().getOrDefault(WellKnownLabels.POD_DELETION_COST, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
