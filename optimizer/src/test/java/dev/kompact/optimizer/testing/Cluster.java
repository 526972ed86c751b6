package dev.kompact.optimizer.testing;

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
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small cluster built in code: 2-core, 4 GiB nodes at $0.10/h; pods request cpu in millicores, memory in MiB. */
public final class Cluster {

    private final List<Node> nodes = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private final List<PodDisruptionBudget> budgets = new ArrayList<>();

    public Cluster node(String name, String zone, Taint... taints) {
        nodes.add(NodeBuilder.node(name)
                .zone(zone)
                .priceMicros(100_000)
                .labels(Map.of(WellKnownLabels.HOSTNAME, name, WellKnownLabels.ZONE, zone))
                .taints(List.of(taints))
                .allocatable(resources(2000, 4096).with("pods", 10))
                .build());
        return this;
    }

    public Cluster pod(Pod pod) {
        pods.add(pod);
        return this;
    }

    public Cluster budget(String app, int disruptionsAllowed) {
        budgets.add(new PodDisruptionBudget("default", app, app(app), null, "1", disruptionsAllowed));
        return this;
    }

    public ClusterSnapshot snapshot() {
        InstanceOffering offering = new InstanceOffering(
                "m5.large",
                "us-east-1a",
                CapacityType.ON_DEMAND,
                100_000,
                resources(2000, 4096).with("pods", 10),
                Map.of(WellKnownLabels.ZONE, "us-east-1a"));
        return new ClusterSnapshot("test", nodes, pods, budgets, List.of(offering));
    }

    public static Pod pod(String name, String node, String app, long cpu) {
        return pod(name, node, app, cpu, AffinityRules.NONE, List.of());
    }

    public static Pod pod(
            String name, String node, String app, long cpu, AffinityRules affinity, List<Toleration> tolerations) {
        return PodBuilder.pod(name)
                .on(node)
                .owner("ReplicaSet", app)
                .requests(resources(cpu, 256))
                .labels(Map.of("app", app))
                .tolerations(tolerations)
                .affinity(affinity)
                .build();
    }

    public static AffinityRules antiAffinity(String app, String topologyKey) {
        return new AffinityRules(
                List.of(), List.of(), List.of(term(app, topologyKey)), List.of(), List.of(), List.of());
    }

    public static AffinityRules affinity(String app, String topologyKey) {
        return new AffinityRules(
                List.of(), List.of(term(app, topologyKey)), List.of(), List.of(), List.of(), List.of());
    }

    public static AffinityRules zoneSpread(String app, int maxSkew) {
        return new AffinityRules(
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(new TopologySpreadConstraint(maxSkew, WellKnownLabels.ZONE, true, app(app))));
    }

    public static LabelSelector app(String app) {
        return new LabelSelector(Map.of("app", app), List.of());
    }

    private static PodAffinityTerm term(String app, String topologyKey) {
        return new PodAffinityTerm(app(app), Set.of(), false, topologyKey);
    }

    private static ResourceList resources(long cpu, long memoryMib) {
        return ResourceList.of(Map.of("cpu", cpu, "memory", memoryMib << 20));
    }
}
