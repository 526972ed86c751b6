package dev.kompact.sim.packing;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.sim.replay.AlibabaTrace;
import dev.kompact.sim.replay.Trace;
import dev.kompact.sim.replay.TraceNode;
import dev.kompact.sim.replay.TraceOfferings;
import dev.kompact.sim.replay.TracePod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A packing set drawn from public data, the Alibaba GPU cluster trace of 2023 ({@link AlibabaTrace}): {@code nodes}
 * of its 1,523 nodes drawn at random, with the capacity the trace lists and the price of the EC2 type
 * {@link TraceOfferings} maps each to, and its pods drawn at random, every one pending, until any of CPU, memory
 * and GPUs asks {@link PackingSetGenerator#SCARCEST_UTILIZATION} of the drawn nodes' or there are
 * {@link PackingSetGenerator#PODS_PER_NODE} pods per node. A pod no drawn node holds on its own is passed over. The
 * same seed gives the same set.
 */
final class AlibabaPackingSet {

    private static final long MIB = 1L << 20;
    private static final long PODS_PER_NODE_LIMIT = 110;

    private AlibabaPackingSet() {}

    static ClusterSnapshot sample(int nodeCount, long seed) {
        Trace trace = AlibabaTrace.bundled(AlibabaTrace.DEFAULT);
        if (nodeCount > trace.nodes().size()) {
            throw new IllegalArgumentException(
                    "the Alibaba trace has " + trace.nodes().size() + " nodes, not " + nodeCount);
        }
        Random random = new Random(seed);
        List<TraceNode> drawn = new ArrayList<>(trace.nodes());
        Collections.shuffle(drawn, random);
        drawn = drawn.subList(0, nodeCount);
        TraceOfferings offerings = new TraceOfferings();
        InstanceCatalog catalog = InstanceCatalog.bundled();
        List<Node> nodes = new ArrayList<>();
        long[] capacity = new long[3];
        for (int i = 0; i < drawn.size(); i++) {
            TraceNode traceNode = drawn.get(i);
            InstanceOffering offering = offerings.forNode(traceNode);
            String name = String.format("node-%04d", i);
            Map<String, String> labels = new TreeMap<>(InstanceCatalog.labels(
                    catalog.type(offering.instanceType()).orElseThrow(), TraceOfferings.ZONE, CapacityType.ON_DEMAND));
            labels.put(WellKnownLabels.HOSTNAME, name);
            ResourceList allocatable = ResourceList.of(Map.of(
                    ResourceNames.CPU,
                    traceNode.cpuMillis(),
                    ResourceNames.MEMORY,
                    traceNode.memoryMib() * MIB,
                    ResourceNames.PODS,
                    PODS_PER_NODE_LIMIT,
                    ResourceNames.NVIDIA_GPU,
                    (long) traceNode.gpus()));
            nodes.add(new Node(
                    name,
                    offering.instanceType(),
                    TraceOfferings.ZONE,
                    CapacityType.ON_DEMAND,
                    offering.pricePerHourMicros(),
                    labels,
                    Map.of(),
                    List.of(),
                    allocatable,
                    false));
            capacity[0] += traceNode.cpuMillis();
            capacity[1] += traceNode.memoryMib() * MIB;
            capacity[2] += traceNode.gpus();
        }
        List<TracePod> candidates = new ArrayList<>(trace.pods());
        Collections.shuffle(candidates, random);
        long[] asked = new long[3];
        List<Pod> pods = new ArrayList<>();
        for (TracePod candidate : candidates) {
            if (pods.size() >= nodeCount * PackingSetGenerator.PODS_PER_NODE || nearlyFull(asked, capacity)) {
                break;
            }
            if (nodes.stream().noneMatch(n -> holds(n, candidate))) {
                continue;
            }
            asked[0] += candidate.cpuMillis();
            asked[1] += candidate.memoryBytes();
            asked[2] += candidate.gpus();
            Map<String, Long> requests = new java.util.HashMap<>(
                    Map.of(ResourceNames.CPU, candidate.cpuMillis(), ResourceNames.MEMORY, candidate.memoryBytes()));
            if (candidate.gpus() > 0) {
                requests.put(ResourceNames.NVIDIA_GPU, (long) candidate.gpus());
            }
            pods.add(new Pod(
                    "packing",
                    candidate.name(),
                    null,
                    new Owner("ReplicaSet", candidate.name()),
                    ResourceList.of(requests),
                    ResourceList.EMPTY,
                    0,
                    Map.of("app", candidate.name()),
                    Map.of(),
                    Map.of(),
                    List.of(),
                    List.of()));
        }
        return new ClusterSnapshot("packing-alibaba-openb-" + nodeCount, nodes, pods, List.of(), List.of());
    }

    private static boolean nearlyFull(long[] asked, long[] capacity) {
        for (int r = 0; r < asked.length; r++) {
            if (capacity[r] > 0 && asked[r] >= PackingSetGenerator.SCARCEST_UTILIZATION * capacity[r]) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(Node node, TracePod pod) {
        ResourceList allocatable = node.allocatable();
        return pod.cpuMillis() <= allocatable.get(ResourceNames.CPU)
                && pod.memoryBytes() <= allocatable.get(ResourceNames.MEMORY)
                && pod.gpus() <= allocatable.get(ResourceNames.NVIDIA_GPU);
    }
}
