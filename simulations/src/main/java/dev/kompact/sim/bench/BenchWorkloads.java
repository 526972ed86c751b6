package dev.kompact.sim.bench;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.Volume;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.sim.sample.ManifestRounding;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Draws the workloads of a benchmark cluster. The mix, by share of workloads: plain Deployments (some with a
 * PodDisruptionBudget, a few of them allowing no disruption), Deployments that require one replica per node
 * (anti-affinity on hostname), Deployments spread over zones hard (DoNotSchedule) or soft (ScheduleAnyway),
 * StatefulSets with zonal volumes, Deployments marked {@code karpenter.sh/do-not-disrupt}, and bare pods. Requests are
 * the round values of manifests, log-normal around 70m CPU with 3–6 GiB of memory per CPU.
 */
final class BenchWorkloads {

    private static final List<String> NAMESPACES =
            List.of("shop", "payments", "search", "data", "identity", "web", "platform");
    private static final long[] CPU_MILLIS = {25, 50, 75, 100, 150, 200, 250, 300, 500, 750, 1000};
    private static final long[] MEMORY_MIB = {64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096};
    private static final Toleration GPU_TOLERATION =
            new Toleration(BenchNodes.GPU_TAINT.key(), Toleration.Operator.Exists, null, null);

    private final Random random;
    private int sequence;

    BenchWorkloads(Random random) {
        this.random = random;
    }

    BenchWorkload next() {
        String namespace = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
        String name = "svc-" + (++sequence);
        double kind = random.nextDouble();
        if (kind < 0.07) {
            return antiAffinity(namespace, name);
        }
        if (kind < 0.13) {
            return spread(namespace, name, true);
        }
        if (kind < 0.23) {
            return spread(namespace, name, false);
        }
        if (kind < 0.31) {
            return statefulSet(namespace, name);
        }
        if (kind < 0.33) {
            return deployment(namespace, name, replicas(), Map.of(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT, "true"));
        }
        if (kind < 0.345) {
            return new BenchWorkload(
                    namespace,
                    "debug-" + name,
                    null,
                    1,
                    requests(),
                    0,
                    Map.of(),
                    List.of(),
                    AffinityRules.NONE,
                    List.of(),
                    false,
                    null,
                    null);
        }
        BenchWorkload plain = deployment(namespace, name, replicas(), liveOrNot());
        double budget = random.nextDouble();
        if (plain.replicas() > 1 && budget < 0.03) {
            return withBudget(plain, "100%", null);
        }
        return plain.replicas() > 1 && budget < 0.35 ? withBudget(plain, null, "1") : plain;
    }

    /**
     * The cluster add-ons: CoreDNS with its budget, and controllers without one, which keep Cluster Autoscaler off
     * their nodes ({@code --skip-nodes-with-system-pods}).
     */
    List<BenchWorkload> system(int nodeCount) {
        BenchWorkload coredns = deployment("kube-system", "coredns", Math.max(2, nodeCount / 100), Map.of());
        return List.of(
                withBudget(coredns, null, "1"),
                deployment("kube-system", "metrics-server", 1, Map.of()),
                deployment("kube-system", "ebs-csi-controller", 2, Map.of()),
                deployment("kube-system", "aws-load-balancer-controller", 2, Map.of()));
    }

    /** A model server on one GPU, tolerating the GPU nodes' taint. */
    BenchWorkload gpu() {
        String name = "inference-" + (++sequence);
        ResourceList requests = ResourceList.of(Map.of(
                ResourceNames.CPU,
                1000L + 500L * random.nextInt(3),
                ResourceNames.MEMORY,
                (4L + 2L * random.nextInt(3)) << 30,
                ResourceNames.NVIDIA_GPU,
                1L));
        return new BenchWorkload(
                "ml",
                name,
                new Owner("ReplicaSet", name),
                1,
                requests,
                0,
                Map.of(),
                List.of(GPU_TOLERATION),
                AffinityRules.NONE,
                List.of(),
                false,
                null,
                null);
    }

    private BenchWorkload antiAffinity(String namespace, String name) {
        PodAffinityTerm onePerNode = new PodAffinityTerm(selector(name), Set.of(), false, WellKnownLabels.HOSTNAME);
        AffinityRules rules =
                new AffinityRules(List.of(), List.of(), List.of(onePerNode), List.of(), List.of(), List.of());
        BenchWorkload workload = deployment(namespace, name, 2 + random.nextInt(4), liveOrNot());
        return withBudget(withAffinity(workload, rules), null, "1");
    }

    private BenchWorkload spread(String namespace, String name, boolean hard) {
        TopologySpreadConstraint overZones =
                new TopologySpreadConstraint(1, WellKnownLabels.ZONE, hard, selector(name));
        AffinityRules rules =
                new AffinityRules(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(overZones));
        BenchWorkload workload = withAffinity(deployment(namespace, name, 3 + random.nextInt(10), liveOrNot()), rules);
        return hard ? withBudget(workload, "50%", null) : workload;
    }

    private BenchWorkload statefulSet(String namespace, String name) {
        return new BenchWorkload(
                namespace,
                name,
                new Owner("StatefulSet", name),
                1 + random.nextInt(3),
                requests(),
                0,
                Map.of(),
                List.of(),
                AffinityRules.NONE,
                List.of(new Volume("data", Volume.Kind.PERSISTENT_VOLUME_CLAIM)),
                true,
                null,
                "1");
    }

    private BenchWorkload deployment(String namespace, String name, int replicas, Map<String, String> annotations) {
        int priority = random.nextInt(10) == 0 ? 1_000_000 : 0;
        return new BenchWorkload(
                namespace,
                name,
                new Owner("ReplicaSet", name),
                replicas,
                requests(),
                priority,
                annotations,
                List.of(),
                AffinityRules.NONE,
                List.of(),
                false,
                null,
                null);
    }

    private static BenchWorkload withAffinity(BenchWorkload w, AffinityRules rules) {
        return new BenchWorkload(
                w.namespace(),
                w.name(),
                w.owner(),
                w.replicas(),
                w.requests(),
                w.priority(),
                w.annotations(),
                w.tolerations(),
                rules,
                w.volumes(),
                w.zonal(),
                w.minAvailable(),
                w.maxUnavailable());
    }

    private static BenchWorkload withBudget(BenchWorkload w, String minAvailable, String maxUnavailable) {
        return new BenchWorkload(
                w.namespace(),
                w.name(),
                w.owner(),
                w.replicas(),
                w.requests(),
                w.priority(),
                w.annotations(),
                w.tolerations(),
                w.affinity(),
                w.volumes(),
                w.zonal(),
                minAvailable,
                maxUnavailable);
    }

    private Map<String, String> liveOrNot() {
        return random.nextInt(5) == 0 ? Map.of(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true") : Map.of();
    }

    /** Replica counts skewed as in real clusters: many one- and two-replica services, a few wide ones. */
    private int replicas() {
        return 1 + (int) Math.floor(StrictMath.exp(random.nextDouble() * StrictMath.log(20)) - 1);
    }

    private ResourceList requests() {
        long cpu = ManifestRounding.nearest(CPU_MILLIS, 70 * StrictMath.exp(0.7 * random.nextGaussian()));
        double gibPerCpu = 3 + 3 * random.nextDouble();
        long memoryMib = ManifestRounding.nearest(MEMORY_MIB, cpu * gibPerCpu * 1024 / 1000);
        Map<String, Long> requests = new TreeMap<>();
        requests.put(ResourceNames.CPU, cpu);
        requests.put(ResourceNames.MEMORY, memoryMib << 20);
        return ResourceList.of(requests);
    }

    private static LabelSelector selector(String name) {
        return new LabelSelector(Map.of(BenchWorkload.APP_LABEL, name), List.of());
    }
}
