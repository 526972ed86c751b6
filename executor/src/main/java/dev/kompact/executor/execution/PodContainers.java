package dev.kompact.executor.execution;

import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.migration.PodMigration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The containers of a pod that run and so move: sidecars (restartable init containers) and the pod's containers, in
 * the spec's order, with the runtime ids its kubelet reports. Init containers that ran to completion do not move:
 * their effects are in the volumes and in the migrated memory.
 */
final class PodContainers {

    private PodContainers() {}

    /** Why the pod's containers cannot be migrated as they are now (one reports no runtime id); empty when they can. */
    static Optional<String> unfit(Pod pod) {
        try {
            running(pod);
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    static List<PodMigration.Container> running(Pod pod) {
        List<Container> running = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream()
                    .filter(c -> "Always".equals(c.getRestartPolicy()))
                    .forEach(running::add);
        }
        running.addAll(pod.getSpec().getContainers());
        Map<String, String> ids = statuses(pod)
                .filter(s -> s.getContainerID() != null)
                .collect(Collectors.toMap(ContainerStatus::getName, ContainerStatus::getContainerID, (a, b) -> a));
        List<PodMigration.Container> containers = new ArrayList<>();
        for (Container c : running) {
            String id = ids.get(c.getName());
            if (id == null) {
                throw new IllegalStateException(
                        "container " + c.getName() + " of pod " + Pods.key(pod) + " reports no runtime id to migrate");
            }
            containers.add(new PodMigration.Container(c.getName(), withoutScheme(id)));
        }
        return containers;
    }

    private static Stream<ContainerStatus> statuses(Pod pod) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.of(
                        pod.getStatus().getInitContainerStatuses(),
                        pod.getStatus().getContainerStatuses())
                .filter(java.util.Objects::nonNull)
                .flatMap(List::stream);
    }

    /** {@code containerd://abc} is {@code abc}: the agents speak the runtime's own ids. */
    private static String withoutScheme(String id) {
        int scheme = id.indexOf("://");
        return scheme < 0 ? id : id.substring(scheme + 3);
    }
}
