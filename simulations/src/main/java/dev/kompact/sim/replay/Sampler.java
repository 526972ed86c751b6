package dev.kompact.sim.replay;

import dev.kompact.optimizer.bound.LowerBound;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a run's samples hold: what the bound pods request and the nodes offer and cost at an instant, and every
 * {@link SimSettings#boundStep} the project's lower bound, which takes a solver's model to compute.
 */
final class Sampler {

    private final SimSettings settings;
    private final List<InstanceOffering> offerings;
    private long nextBound;
    private ClusterSnapshot bounded;
    private long lastBound;

    Sampler(SimSettings settings, List<InstanceOffering> offerings) {
        this.settings = settings;
        this.offerings = offerings;
    }

    Sample take(
            long now,
            Collection<SimNode> nodes,
            Collection<SimPod> pods,
            int pending,
            Supplier<ClusterSnapshot> snapshot) {
        long requestedCpu = 0;
        long requestedMemory = 0;
        long requestedGpus = 0;
        for (SimPod pod : pods) {
            if (pod.node() != null) {
                requestedCpu += pod.trace().cpuMillis();
                requestedMemory += pod.trace().memoryBytes();
                requestedGpus += pod.trace().gpus();
            }
        }
        long cpu = 0;
        long memory = 0;
        long gpus = 0;
        long price = 0;
        for (SimNode node : nodes) {
            ResourceList allocatable = node.offering().allocatable();
            cpu += allocatable.get(ResourceNames.CPU);
            memory += allocatable.get(ResourceNames.MEMORY);
            gpus += allocatable.get(ResourceNames.NVIDIA_GPU);
            price += node.offering().pricePerHourMicros();
        }
        long bound = -1;
        if (now >= nextBound) {
            bound = lowerBound(snapshot.get());
            nextBound = now + Math.max(1, settings.boundStep().toSeconds());
        }
        return new Sample(
                now,
                nodes.size(),
                price,
                requestedCpu,
                requestedMemory,
                requestedGpus,
                cpu,
                memory,
                gpus,
                pending,
                bound);
    }

    /**
     * The project's lower bound for holding the running pods on the Ready nodes and the offerings; the last one again
     * when the nodes and pods are as they were, since building its problem was a seventh of a long baseline run.
     */
    private long lowerBound(ClusterSnapshot snapshot) {
        if (snapshot.pods().isEmpty()) {
            return 0;
        }
        if (bounded != null
                && bounded.nodes().equals(snapshot.nodes())
                && bounded.pods().equals(snapshot.pods())) {
            return lastBound;
        }
        bounded = snapshot;
        lastBound = computedBound(snapshot);
        return lastBound;
    }

    private long computedBound(ClusterSnapshot snapshot) {
        var problem = new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot);
        return LowerBound.of(
                        problem,
                        offerings,
                        DaemonSetOverhead.of(snapshot.pods()),
                        snapshot.nodes().stream()
                                .mapToLong(Node::pricePerHourMicros)
                                .sum())
                .cost()
                .microsPerHour();
    }
}
