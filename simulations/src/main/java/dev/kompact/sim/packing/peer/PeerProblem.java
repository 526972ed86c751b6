package dev.kompact.sim.packing.peer;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.List;

/** A packing set as the peer's model: memory in MiB so that no resource dwarfs the others in the hard score. */
public final class PeerProblem {

    private PeerProblem() {}

    public static PeerPacking of(ClusterSnapshot snapshot) {
        List<PeerNode> nodes = snapshot.nodes().stream()
                .map(n -> new PeerNode(n.name(), capacity(n.allocatable()), n.pricePerHourMicros()))
                .toList();
        List<PeerPod> pods = snapshot.pods().stream()
                .map(p -> new PeerPod(p.key(), demand(p.requests())))
                .toList();
        return new PeerPacking(nodes, pods);
    }

    private static long[] capacity(ResourceList allocatable) {
        return new long[] {
            allocatable.get(ResourceNames.CPU),
            allocatable.get(ResourceNames.MEMORY) >> 20,
            allocatable.get(ResourceNames.PODS),
            allocatable.get(ResourceNames.NVIDIA_GPU)
        };
    }

    /** Memory rounded up, so that the peer never packs more than the node holds. */
    private static long[] demand(ResourceList requests) {
        return new long[] {
            requests.get(ResourceNames.CPU),
            (requests.get(ResourceNames.MEMORY) + (1 << 20) - 1) >> 20,
            1,
            requests.get(ResourceNames.NVIDIA_GPU)
        };
    }
}
