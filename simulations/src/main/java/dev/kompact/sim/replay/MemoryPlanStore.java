package dev.kompact.sim.replay;

import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.PlanStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans kept in memory, counting journal writes so a caller can tell a look that changed something. */
final class MemoryPlanStore implements PlanStore {

    private final Map<String, RebalancePlanResource> plans = new LinkedHashMap<>();
    private long writes;

    long writes() {
        return writes;
    }

    @Override
    public Optional<RebalancePlanResource> plan(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    @Override
    public List<RebalancePlanResource> plans() {
        return new ArrayList<>(plans.values());
    }

    @Override
    public RebalancePlanResource create(RebalancePlanResource plan) {
        plans.put(plan.getMetadata().getName(), plan);
        writes++;
        return plan;
    }

    @Override
    public RebalancePlanResource updateStatus(RebalancePlanResource plan) {
        plans.put(plan.getMetadata().getName(), plan);
        writes++;
        return plan;
    }

    @Override
    public void delete(String name) {
        plans.remove(name);
    }

    @Override
    public Optional<OptimizationPolicy> policy(String name) {
        return Optional.empty();
    }
}
