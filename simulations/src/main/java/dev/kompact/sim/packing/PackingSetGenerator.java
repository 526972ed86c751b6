package dev.kompact.sim.packing;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A from-scratch packing set: {@code nodes} fixed, priced, heterogeneous on-demand nodes in one zone, and three pods
 * per node, every one pending, with no offerings to buy from. Hard resources are CPU, memory and the node's pod
 * count, and GPUs in {@link PackingShape#GPU_BOUND}. The same seed gives the same set.
 */
public final class PackingSetGenerator {

    static final double SCARCEST_UTILIZATION = 0.6;
    static final int PODS_PER_NODE = 3;
    static final String ZONE = "us-east-1a";
    private static final long MIB = 1L << 20;
    /** CPU weights a pod draws from: most are small, a few large, as in Kubernetes workloads. */
    private static final int[] CPU_WEIGHTS = {1, 1, 1, 2, 2, 4, 8};

    private PackingSetGenerator() {}

    public static ClusterSnapshot generate(PackingShape shape, int nodeCount, long seed) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("a packing set needs at least one node, not " + nodeCount);
        }
        if (shape == PackingShape.ALIBABA_OPENB) {
            return AlibabaPackingSet.sample(nodeCount, seed);
        }
        Random random = new Random(seed * 31 + shape.ordinal());
        InstanceCatalog catalog = InstanceCatalog.bundled();
        List<Node> nodes = new ArrayList<>();
        long[] capacity = new long[3];
        long largestCpu = 0;
        long largestMemory = 0;
        for (int i = 0; i < nodeCount; i++) {
            String typeName = shape.instanceTypes()
                    .get(random.nextInt(shape.instanceTypes().size()));
            InstanceType type = catalog.type(typeName)
                    .orElseThrow(() -> new IllegalStateException("the bundled catalogue has no " + typeName));
            String name = String.format("node-%04d", i);
            Map<String, String> labels = new TreeMap<>(InstanceCatalog.labels(type, ZONE, CapacityType.ON_DEMAND));
            labels.put(WellKnownLabels.HOSTNAME, name);
            ResourceList allocatable = type.allocatable();
            nodes.add(new Node(
                    name,
                    type.name(),
                    ZONE,
                    CapacityType.ON_DEMAND,
                    type.onDemandPriceMicros().orElseThrow(),
                    labels,
                    Map.of(),
                    List.of(),
                    allocatable,
                    false));
            capacity[0] += allocatable.get(ResourceNames.CPU);
            capacity[1] += allocatable.get(ResourceNames.MEMORY);
            capacity[2] += allocatable.get(ResourceNames.NVIDIA_GPU);
            largestCpu = Math.max(largestCpu, allocatable.get(ResourceNames.CPU));
            largestMemory = Math.max(largestMemory, allocatable.get(ResourceNames.MEMORY));
        }
        int podCount = nodeCount * PODS_PER_NODE;
        double[] cpuWeight = new double[podCount];
        double[] gibPerCore = new double[podCount];
        double totalCpuWeight = 0;
        double totalMemoryWeight = 0;
        for (int i = 0; i < podCount; i++) {
            cpuWeight[i] = CPU_WEIGHTS[random.nextInt(CPU_WEIGHTS.length)];
            gibPerCore[i] =
                    shape.minGibPerCore() + random.nextDouble() * (shape.maxGibPerCore() - shape.minGibPerCore());
            totalCpuWeight += cpuWeight[i];
            totalMemoryWeight += cpuWeight[i] * gibPerCore[i] * 1024 * MIB / 1000;
        }
        // millicores per unit of weight, so that the scarcer of CPU and memory is used as planned
        double scale = SCARCEST_UTILIZATION * Math.min(capacity[0] / totalCpuWeight, capacity[1] / totalMemoryWeight);
        int gpuPods = (int) Math.min(podCount / 2, Math.round(capacity[2] * shape.gpuShare()));
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < podCount; i++) {
            long cpu = Math.max(10, Math.min(largestCpu / 2, Math.round(cpuWeight[i] * scale / 10) * 10));
            long memory =
                    Math.max(MIB, Math.min(largestMemory / 2, Math.round(cpu * gibPerCore[i] * 1024 / 1000) * MIB));
            Map<String, Long> requests = new HashMap<>(Map.of(ResourceNames.CPU, cpu, ResourceNames.MEMORY, memory));
            if (i < gpuPods) {
                requests.put(ResourceNames.NVIDIA_GPU, 1L);
            }
            String name = String.format("pod-%05d", i);
            pods.add(new Pod(
                    "packing",
                    name,
                    null,
                    new Owner("ReplicaSet", "set-" + i % 50),
                    ResourceList.of(requests),
                    ResourceList.EMPTY,
                    0,
                    Map.of("app", "set-" + i % 50),
                    Map.of(),
                    Map.of(),
                    List.of(),
                    List.of()));
        }
        return new ClusterSnapshot("packing-" + shape.label() + "-" + nodeCount, nodes, pods, List.of(), List.of());
    }
}
