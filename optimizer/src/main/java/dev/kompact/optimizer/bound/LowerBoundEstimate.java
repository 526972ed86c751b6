package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.plan.Cost;

/** The bound and how far the plan's cost is above it, as a share of the bound. */
public record LowerBoundEstimate(Cost cost, double gap, String limitingResource) {

    static LowerBoundEstimate of(long boundMicros, long planCostMicros, String limitingResource) {
        double gap =
                boundMicros == 0 ? 0 : Math.round(10_000.0 * (planCostMicros - boundMicros) / boundMicros) / 10_000.0;
        return new LowerBoundEstimate(Cost.ofMicros(boundMicros), gap, limitingResource);
    }

    /** The same bound for another plan of the same pods: only the gap changes. */
    public LowerBoundEstimate forPlanCost(long planCostMicros) {
        return of(cost.microsPerHour(), planCostMicros, limitingResource);
    }
}
