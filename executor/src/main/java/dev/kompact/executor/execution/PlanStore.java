package dev.kompact.executor.execution;

import dev.kompact.executor.ReadOnly;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import java.util.List;
import java.util.Optional;

/** Where plans and policies live: the custom resources, in a cluster. */
public interface PlanStore {

    @ReadOnly
    Optional<RebalancePlanResource> plan(String name);

    @ReadOnly
    List<RebalancePlanResource> plans();

    RebalancePlanResource create(RebalancePlanResource plan);

    /** Writes the plan's status with the resourceVersion it was read at; the API server refuses a stale one. */
    RebalancePlanResource updateStatus(RebalancePlanResource plan);

    /** Deletes the plan; one already gone is not an error. */
    void delete(String name);

    @ReadOnly
    Optional<OptimizationPolicy> policy(String name);
}
