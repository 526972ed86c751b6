package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.oracle.ClusterState;
import dev.kompact.optimizer.oracle.PlanVerifier;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: whatever the cluster, the plan is valid. Random small clusters — mixed node types and zones, a tainted
 * node, selectors, anti-affinity, zone spread, budgets, pinned and pending pods — placed validly with the
 * scheduler's rules, then planned and re-checked by {@link PlanVerifier}.
 */
class RandomClusterPlansTest {

    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    private static final List<String> TYPES = List.of("m5.large", "m5.xlarge", "c5.xlarge", "r5.large");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void everyPlanOfARandomClusterIsValid(long seed) {
        ClusterSnapshot snapshot = randomCluster(new Random(seed));

        RebalancePlan plan =
                new Planner(SolverSettings.of(Duration.ofMillis(600)), SolverProgress.SILENT).plan(snapshot);

        assertThat(new PlanVerifier().verify(snapshot, plan))
                .as("seed " + seed + ": " + plan.decision())
                .isEmpty();
        assertThat(plan.lowerBound().cost().microsPerHour())
                .isLessThanOrEqualTo(plan.costAfter().microsPerHour());
        boolean placesPendingPods = plan.moves().stream().anyMatch(m -> m.from() == null);
        if (!placesPendingPods) {
            assertThat(plan.costAfter().microsPerHour())
                    .isLessThanOrEqualTo(plan.costBefore().microsPerHour());
        }
    }

    private static ClusterSnapshot randomCluster(Random random) {
        InstanceCatalog catalog = InstanceCatalog.bundled();
        List<Node> nodes = new ArrayList<>();
        int nodeCount = 3 + random.nextInt(6);
        for (int i = 0; i < nodeCount; i++) {
            String type = TYPES.get(random.nextInt(TYPES.size()));
            String zone = ZONES.get(random.nextInt(ZONES.size()));
            CapacityType capacity = random.nextInt(4) == 0 ? CapacityType.SPOT : CapacityType.ON_DEMAND;
            List<Taint> taints = i == 0 ? List.of(new Taint("dedicated", "batch", TaintEffect.NoSchedule)) : List.of();
            String name = "n" + i;
            nodes.add(NodeBuilder.node(name)
                    .instanceType(type)
                    .zone(zone)
                    .capacityType(capacity)
                    .priceMicros(catalog.price(type, capacity).getAsLong())
                    .labels(Map.of(
                            WellKnownLabels.HOSTNAME,
                            name,
                            WellKnownLabels.ZONE,
                            zone,
                            WellKnownLabels.INSTANCE_TYPE,
                            type,
                            "pool",
                            i % 2 == 0 ? "a" : "b"))
                    .taints(taints)
                    .allocatable(catalog.type(type).orElseThrow().allocatable())
                    .build());
        }
        ClusterSnapshot empty = new ClusterSnapshot("random", nodes, List.of(), List.of(), List.of());
        ClusterState state = new ClusterState(empty);
        List<Pod> pods = new ArrayList<>();
        int workloads = 2 + random.nextInt(5);
        for (int w = 0; w < workloads; w++) {
            String app = "app" + w;
            int replicas = 1 + random.nextInt(6);
            long cpu = 100 + 100L * random.nextInt(8);
            long memory = (128L + 128L * random.nextInt(8)) << 20;
            int rule = random.nextInt(5);
            AffinityRules affinity = switch (rule) {
                case 0 ->
                    new AffinityRules(
                            List.of(),
                            List.of(),
                            List.of(new PodAffinityTerm(selector(app), Set.of(), false, WellKnownLabels.HOSTNAME)),
                            List.of(),
                            List.of(),
                            List.of());
                case 1 ->
                    new AffinityRules(
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(new TopologySpreadConstraint(1, WellKnownLabels.ZONE, true, selector(app))));
                default -> AffinityRules.NONE;
            };
            Map<String, String> selector = rule == 2 ? Map.of("pool", "a") : Map.of();
            List<Toleration> tolerations = rule == 3
                    ? List.of(new Toleration("dedicated", Toleration.Operator.Equal, "batch", TaintEffect.NoSchedule))
                    : List.of();
            Map<String, String> annotations =
                    random.nextInt(8) == 0 ? Map.of(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT, "true") : Map.of();
            for (int r = 0; r < replicas; r++) {
                Pod pod = PodBuilder.pod(app + "-" + r)
                        .owner("ReplicaSet", app)
                        .requests(ResourceList.of(Map.of("cpu", cpu, "memory", memory)))
                        .labels(Map.of("app", app))
                        .annotations(annotations)
                        .nodeSelector(selector)
                        .tolerations(tolerations)
                        .affinity(affinity)
                        .build();
                String home = nodes.stream()
                        .map(Node::name)
                        .filter(n -> state.whyNot(pod, n).isEmpty())
                        .skip(random.nextInt(2))
                        .findFirst()
                        .orElse(null);
                if (home != null && random.nextInt(10) > 0) {
                    state.place(pod, home);
                    pods.add(pod.withNodeName(home));
                } else {
                    pods.add(pod);
                }
            }
        }
        List<PodDisruptionBudget> budgets =
                List.of(new PodDisruptionBudget("default", "app0", selector("app0"), null, "1", random.nextInt(2)));
        List<InstanceOffering> offerings = catalog.offerings(ZONES).stream()
                .filter(o -> TYPES.contains(o.instanceType()))
                .toList();
        return new ClusterSnapshot("random", nodes, pods, budgets, offerings);
    }

    private static LabelSelector selector(String app) {
        return new LabelSelector(Map.of("app", app), List.of());
    }
}
