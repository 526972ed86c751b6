package dev.kompact.executor.execution;

import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

public final class Fabric8PlanStore implements PlanStore {

    private final KubernetesClient client;

    public Fabric8PlanStore(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<RebalancePlanResource> plan(String name) {
        return Optional.ofNullable(
                client.resources(RebalancePlanResource.class).withName(name).get());
    }

    @Override
    public List<RebalancePlanResource> plans() {
        return client.resources(RebalancePlanResource.class).list().getItems();
    }

    @Override
    public RebalancePlanResource create(RebalancePlanResource plan) {
        return client.resources(RebalancePlanResource.class).resource(plan).create();
    }

    @Override
    public RebalancePlanResource updateStatus(RebalancePlanResource plan) {
        return client.resources(RebalancePlanResource.class).resource(plan).updateStatus();
    }

    @Override
    public void delete(String name) {
        client.resources(RebalancePlanResource.class).withName(name).delete();
    }

    @Override
    public Optional<OptimizationPolicy> policy(String name) {
        return Optional.ofNullable(
                client.resources(OptimizationPolicy.class).withName(name).get());
    }
}
