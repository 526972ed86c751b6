package dev.kompact.optimizer.plan;

/** The bound and how far the plan's cost is above it, as a share of the bound. */
public record LowerBoundEstimate(Cost cost, double gap, String limitingResource) {
}
