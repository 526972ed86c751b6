package dev.kompact.optimizer.bound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import dev.kompact.optimizer.testing.Snapshots;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LowerBoundTest {

    @Test
    void pricesPodsAtTheCheapestNodeTheyAccept() throws Exception {
        ClusterSnapshot snapshot = Snapshots.read("memory-pool-only.json");

        LowerBoundEstimate bound = boundOf(snapshot, 126_000);

        // the cache selects pool=memory, which only the r5.large ($0.126/h, 1930m) has: 1000m costs at least
        // 126000 × 1000 / 1930 = 65284.97 µ$/h; the cheaper m5.large ($0.096/h) would have said 49741
        assertThat(bound.cost().microsPerHour()).isEqualTo(65_284);
        assertThat(bound.limitingResource()).isEqualTo("cpu");
    }

    @Test
    void buysCpuAndMemoryTogether() {
        ClusterSnapshot snapshot = new ClusterSnapshot(
                "mixed",
                List.of(node("big", 2_000_000, 8000, 64, Map.of())),
                List.of(pod("compute", "big", 3750, 1, Map.of()), pod("cache", "big", 250, 15, Map.of())),
                List.of(),
                List.of(offering("c.fast", 4000, 4), offering("r.roomy", 1000, 16)));

        LowerBoundEstimate bound = boundOf(snapshot, 160_000);

        // 4000m and 16Gi in all, $0.10 for either 4000m/4Gi or 1000m/16Gi: each resource alone costs $0.10, but
        // covering both needs 0.8 of each (4000·0.8 + 1000·0.8 = 4000m, 4·0.8 + 16·0.8 = 16Gi): $0.16, less the
        // solver's rounding guard
        assertThat(bound.cost().microsPerHour()).isBetween(159_990L, 160_000L);
        assertThat(bound.limitingResource().split("\\+")).containsExactlyInAnyOrder("cpu", "memory");
    }

    @Test
    void podStayingWhereItsSelectorNoLongerMatchesIsNotPricedAtItsPool() {
        ClusterSnapshot snapshot = new ClusterSnapshot(
                "relabelled",
                List.of(
                        node("cheap", 50_000, 2000, 8, Map.of()),
                        node("memory-pool", 1_000_000, 2000, 8, Map.of("pool", "memory"))),
                List.of(pod("cache", "cheap", 1000, 1, Map.of("pool", "memory"))),
                List.of(),
                List.of());

        LowerBoundEstimate bound = boundOf(snapshot, 50_000);

        // the pod may stay on "cheap" ($0.05/h for 2000m): 1000m costs 25000 there, not half the pool node's $1
        assertThat(bound.cost().microsPerHour()).isEqualTo(25_000);
    }

    @Test
    void paysForNodeWhosePodItsExhaustedBudgetHoldsThere() {
        LowerBoundEstimate bound = boundOf(heldByBudget(Map.of(), Map.of()), 1_000_000);

        // web may not restart (0 disruptions allowed), so "dear" ($1/h) stays whatever the plan
        assertThat(bound.cost().microsPerHour()).isEqualTo(1_000_000);
    }

    @Test
    void liveMigratablePodUnderExhaustedBudgetHoldsNothing() {
        LowerBoundEstimate bound = boundOf(
                heldByBudget(Map.of("kompact.dev/agent", "true"), Map.of("kompact.dev/live-migrate", "true")),
                1_000_000);

        // a live move never stops the pod: its 1000m may go to the $0.10 offering of 4000m, 25000 µ$/h
        assertThat(bound.cost().microsPerHour()).isBetween(24_990L, 25_000L);
    }

    private static ClusterSnapshot heldByBudget(Map<String, String> nodeLabels, Map<String, String> podAnnotations) {
        Pod web = PodBuilder.pod("web")
                .on("dear")
                .requests(ResourceList.of(Map.of("cpu", 1000L, "memory", 1L << 30)))
                .labels(Map.of("app", "web"))
                .annotations(podAnnotations)
                .build();
        PodDisruptionBudget budget = new PodDisruptionBudget(
                "default", "web", new LabelSelector(Map.of("app", "web"), List.of()), null, "0", 0);
        return new ClusterSnapshot(
                "held",
                List.of(node("dear", 1_000_000, 2000, 8, nodeLabels)),
                List.of(web),
                List.of(budget),
                List.of(offering("c.fast", 4000, 4)));
    }

    private static LowerBoundEstimate boundOf(ClusterSnapshot snapshot, long planCostMicros) {
        ClusterPlacement placement = new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot);
        return LowerBound.of(placement, snapshot.offerings(), DaemonSetOverhead.of(snapshot.pods()), planCostMicros);
    }

    private static Node node(String name, long priceMicros, long cpu, long memoryGib, Map<String, String> labels) {
        return NodeBuilder.node(name)
                .instanceType("m5.2xlarge")
                .priceMicros(priceMicros)
                .labels(labels)
                .allocatable(resources(cpu, memoryGib))
                .build();
    }

    private static Pod pod(String name, String node, long cpu, long memoryGib, Map<String, String> nodeSelector) {
        return PodBuilder.pod(name)
                .on(node)
                .requests(ResourceList.of(Map.of("cpu", cpu, "memory", memoryGib << 30)))
                .labels(Map.of("app", name))
                .nodeSelector(nodeSelector)
                .build();
    }

    private static InstanceOffering offering(String type, long cpu, long memoryGib) {
        return new InstanceOffering(
                type, "us-east-1a", CapacityType.ON_DEMAND, 100_000, resources(cpu, memoryGib), Map.of());
    }

    private static ResourceList resources(long cpu, long memoryGib) {
        return ResourceList.of(Map.of("cpu", cpu, "memory", memoryGib << 30, "pods", 110L));
    }
}
