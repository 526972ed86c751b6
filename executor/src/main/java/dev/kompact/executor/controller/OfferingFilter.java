package dev.kompact.executor.controller;

import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.SpotPolicy;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import java.util.List;

/** Keeps only the offerings a policy lets plans buy: allowed families and types, spot or not. */
final class OfferingFilter {

    private OfferingFilter() {}

    static ClusterSnapshot apply(ClusterSnapshot snapshot, OptimizationPolicySpec policy) {
        List<InstanceOffering> allowed = snapshot.offerings().stream()
                .filter(o -> policy.instanceTypes.isEmpty() || policy.instanceTypes.contains(o.instanceType()))
                .filter(o -> policy.instanceFamilies.isEmpty() || policy.instanceFamilies.contains(family(o)))
                .filter(o -> policy.spot != SpotPolicy.Never || o.capacityType() != CapacityType.SPOT)
                .toList();
        return new ClusterSnapshot(
                snapshot.name(), snapshot.nodes(), snapshot.pods(), snapshot.podDisruptionBudgets(), allowed);
    }

    private static String family(InstanceOffering offering) {
        int dot = offering.instanceType().indexOf('.');
        return dot < 0 ? offering.instanceType() : offering.instanceType().substring(0, dot);
    }
}
