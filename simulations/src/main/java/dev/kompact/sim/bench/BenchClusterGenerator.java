package dev.kompact.sim.bench;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded clusters for the benchmark, of any size: the fleet of {@link BenchNodes}, four DaemonSets on every node, and
 * the workloads of {@link BenchWorkloads} drawn until the general-purpose nodes' CPU or memory requests reach
 * {@link #TARGET_FILL} — about thirty pods a node. Each replica is placed as the scheduler's least-allocated scoring
 * would, on the least filled of a few random nodes, and only where {@link ClusterState#whyNot} admits it, so every
 * placement is one Kubernetes accepts; a replica no node admits is left out. Budgets' status counts the replicas
 * placed. The offerings are the bundled catalogue's amd64 types in the cluster's three zones, as the snapshot reader
 * would fill them. The same size and seed give the same cluster.
 */
public final class BenchClusterGenerator {

    public static final long DEFAULT_SEED = 20250101L;
    static final double TARGET_FILL = 0.40;
    private static final int CHOICES = 3;
    private static final int ATTEMPTS = 30;
    private static final int SYSTEM_NODE_CRITICAL = 2_000_001_000;
    private static final double GPU_PODS_PER_GPU_NODE = 0.6;
    private static final List<DaemonSet> DAEMON_SETS = List.of(
            new DaemonSet("kube-system", "aws-node", 25, 64),
            new DaemonSet("kube-system", "kube-proxy", 100, 64),
            new DaemonSet("kube-system", "ebs-csi-node", 10, 40),
            new DaemonSet("monitoring", "node-exporter", 50, 64));

    private final InstanceCatalog catalog;
    private final int nodeCount;
    private final Random random;

    private BenchClusterGenerator(InstanceCatalog catalog, int nodeCount, long seed) {
        this.catalog = catalog;
        this.nodeCount = nodeCount;
        this.random = new Random(seed);
    }

    public static ClusterSnapshot generate(int nodeCount, long seed) {
        return new BenchClusterGenerator(InstanceCatalog.bundled(), nodeCount, seed).generate(seed);
    }

    private record DaemonSet(String namespace, String name, long cpuMillis, long memoryMib) {}

    private ClusterSnapshot generate(long seed) {
        String name = "bench-" + nodeCount + "-" + seed;
        List<Node> nodes = BenchNodes.build(catalog, nodeCount, random);
        List<Pod> pods = new ArrayList<>();
        nodes.forEach(node -> DAEMON_SETS.forEach(ds -> pods.add(daemonPod(ds, node))));
        ClusterState state = new ClusterState(new ClusterSnapshot(name, nodes, pods, List.of(), List.of()));

        List<Node> general = nodes.stream().filter(n -> n.taints().isEmpty()).toList();
        List<Node> gpu = nodes.stream().filter(n -> !n.taints().isEmpty()).toList();
        BenchWorkloads draw = new BenchWorkloads(random);
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        for (BenchWorkload workload : draw.system(nodeCount)) {
            place(workload, general, state, pods, budgets);
        }
        for (int i = 0; i < Math.ceil(gpu.size() * GPU_PODS_PER_GPU_NODE); i++) {
            place(draw.gpu(), gpu, state, pods, budgets);
        }
        Fill fill = new Fill(state, general);
        while (fill.share() < TARGET_FILL) {
            for (Pod pod : place(draw.next(), general, state, pods, budgets)) {
                fill.add(pod);
            }
        }
        List<InstanceOffering> offerings = catalog.offerings(BenchNodes.ZONES).stream()
                .filter(o -> "amd64".equals(o.labels().get(WellKnownLabels.ARCH)))
                .toList();
        return new ClusterSnapshot(name, nodes, pods, budgets, offerings);
    }

    /** Places the workload's replicas and answers those placed. */
    private List<Pod> place(
            BenchWorkload workload,
            List<Node> eligible,
            ClusterState state,
            List<Pod> pods,
            List<PodDisruptionBudget> budgets) {
        List<Pod> placedPods = new ArrayList<>();
        for (int i = 0; i < workload.replicas(); i++) {
            String podName = workload.owner() == null ? workload.name() : workload.name() + "-" + i;
            Pod placed = bind(workload, podName, eligible, state);
            if (placed != null) {
                state.place(placed, placed.nodeName());
                pods.add(placed);
                placedPods.add(placed);
            }
        }
        int healthy = placedPods.size();
        if (workload.hasBudget() && healthy > 0) {
            budgets.add(new PodDisruptionBudget(
                    workload.namespace(),
                    workload.name(),
                    new LabelSelector(workload.labels(), List.of()),
                    workload.minAvailable(),
                    workload.maxUnavailable(),
                    workload.disruptionsAllowed(healthy)));
        }
        return placedPods;
    }

    /** The replica bound to the node chosen for it, or null when no node admits it. */
    private Pod bind(BenchWorkload workload, String podName, List<Node> eligible, ClusterState state) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Node best = null;
            for (int c = 0; c < CHOICES; c++) {
                Node node = eligible.get(random.nextInt(eligible.size()));
                if (best == null || cpuShare(state, node) < cpuShare(state, best)) {
                    best = node;
                }
            }
            Pod pod = pod(workload, podName, best);
            if (state.whyNot(pod, best.name()).isEmpty()) {
                return pod;
            }
        }
        int offset = random.nextInt(eligible.size());
        for (int i = 0; i < eligible.size(); i++) {
            Node node = eligible.get((offset + i) % eligible.size());
            Pod pod = pod(workload, podName, node);
            if (state.whyNot(pod, node.name()).isEmpty()) {
                return pod;
            }
        }
        return null;
    }

    private static Pod pod(BenchWorkload w, String podName, Node node) {
        ResourceList usage = ResourceList.of(Map.of(
                ResourceNames.CPU, w.requests().get(ResourceNames.CPU) * 3 / 10,
                ResourceNames.MEMORY, w.requests().get(ResourceNames.MEMORY) * 6 / 10));
        return new Pod(
                w.namespace(),
                podName,
                node.name(),
                w.owner(),
                w.requests(),
                usage,
                w.priority(),
                w.labels(),
                w.annotations(),
                Map.of(),
                List.of(),
                w.tolerations(),
                w.affinity(),
                w.volumes(),
                w.zonal() ? node.zone() : null);
    }

    private static Pod daemonPod(DaemonSet ds, Node node) {
        ResourceList requests =
                ResourceList.of(Map.of(ResourceNames.CPU, ds.cpuMillis(), ResourceNames.MEMORY, ds.memoryMib() << 20));
        return new Pod(
                ds.namespace(),
                ds.name() + "-" + node.name(),
                node.name(),
                new Owner("DaemonSet", ds.name()),
                requests,
                requests,
                SYSTEM_NODE_CRITICAL,
                Map.of(BenchWorkload.APP_LABEL, ds.name()),
                Map.of(),
                Map.of(WellKnownLabels.OS, "linux"),
                List.of(),
                List.of(new Toleration(null, Toleration.Operator.Exists, null, null)));
    }

    private static double cpuShare(ClusterState state, Node node) {
        return (double) state.requested(node.name()).get(ResourceNames.CPU)
                / node.allocatable().get(ResourceNames.CPU);
    }

    /** The larger of the CPU and memory shares requested on the general-purpose nodes, kept as pods land. */
    private static final class Fill {
        private long cpu;
        private long memory;
        private long cpuAllocatable;
        private long memoryAllocatable;

        Fill(ClusterState state, List<Node> nodes) {
            for (Node node : nodes) {
                ResourceList requested = state.requested(node.name());
                cpu += requested.get(ResourceNames.CPU);
                memory += requested.get(ResourceNames.MEMORY);
                cpuAllocatable += node.allocatable().get(ResourceNames.CPU);
                memoryAllocatable += node.allocatable().get(ResourceNames.MEMORY);
            }
        }

        void add(Pod pod) {
            cpu += pod.requests().get(ResourceNames.CPU);
            memory += pod.requests().get(ResourceNames.MEMORY);
        }

        double share() {
            return Math.max((double) cpu / cpuAllocatable, (double) memory / memoryAllocatable);
        }
    }
}
