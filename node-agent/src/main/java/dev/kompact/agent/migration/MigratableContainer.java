package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;

/**
 * A container of this node that can be live-migrated: it runs, joins a pod network namespace under /run/netns, that
 * namespace has an address, and it bind-mounts nothing from the node (that content would not be on the target).
 */
record MigratableContainer(ContainerRuntime.ContainerInfo info, Path namespace, PodNetwork.Address address) {

    /** @throws io.grpc.StatusRuntimeException why not, with nothing touched: the pod is then evicted instead */
    static MigratableContainer inspect(
            ContainerRuntime runtime, PodNetwork network, String containerId, String nodeName) {
        ContainerRuntime.ContainerInfo container = runtime.find(containerId)
                .orElseThrow(() -> Status.NOT_FOUND
                        .withDescription("container " + containerId + " does not exist on node " + nodeName)
                        .asRuntimeException());
        if (!container.running()) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("container " + containerId + " on node " + nodeName + " is " + container.status()
                            + ", not running: only a running container can be live-migrated")
                    .asRuntimeException();
        }
        BundleConfig config = BundleConfig.read(container.bundle());
        Path namespace = config.networkNamespace()
                .orElseThrow(() -> Status.FAILED_PRECONDITION
                        .withDescription("container " + containerId + " has no network namespace of its"
                                + " own (config.json linux.namespaces network path): its address cannot move")
                        .asRuntimeException());
        List<String> hostMounts = config.hostBindMounts();
        if (!hostMounts.isEmpty()) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("container " + containerId + " on node " + nodeName
                            + " bind-mounts " + String.join(", ", hostMounts)
                            + ": that content stays on this node and would not be"
                            + " there on the target; move the pod by eviction instead")
                    .asRuntimeException();
        }
        return new MigratableContainer(container, namespace, network.addressOf(namespace));
    }

    Path bundle() {
        return info.bundle();
    }
}
