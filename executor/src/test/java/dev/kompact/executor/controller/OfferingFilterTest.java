package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.SpotPolicy;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferingFilterTest {

    static final ClusterSnapshot CATALOGUE = new ClusterSnapshot(
            "test", List.of(), List.of(), List.of(), InstanceCatalog.bundled().offerings(List.of("us-east-1a")));

    @Test
    void keepsAllowedFamiliesAndTypesOnDemandWhenSpotIsNever() {
        OptimizationPolicySpec policy = new OptimizationPolicySpec();
        policy.instanceFamilies = List.of("m5");
        policy.instanceTypes = List.of("m5.large", "m5.xlarge", "c5.large");
        policy.spot = SpotPolicy.Never;

        List<InstanceOffering> offerings =
                OfferingFilter.apply(CATALOGUE, policy).offerings();

        assertThat(offerings)
                .extracting(InstanceOffering::instanceType)
                .containsExactlyInAnyOrder("m5.large", "m5.xlarge");
        assertThat(offerings).allMatch(o -> o.capacityType() == CapacityType.ON_DEMAND);
    }

    @Test
    void emptyListsAllowEverything() {
        assertThat(OfferingFilter.apply(CATALOGUE, new OptimizationPolicySpec()).offerings())
                .hasSameSizeAs(CATALOGUE.offerings());
    }
}
