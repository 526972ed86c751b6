package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.plan.Cost;

/** The bound and how far the plan's cost is above it, as a share of the bound. */
public record LowerBoundEstimate(Cost cost, double gap, String limitingResource) {}
