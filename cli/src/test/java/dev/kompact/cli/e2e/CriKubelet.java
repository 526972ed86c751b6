package dev.kompact.cli.e2e;

import dev.kompact.agent.testing.BusyboxImage;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.KubeletStandIn;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated node's kubelet: watches the Pods bound to its node in the API server and runs each through CRI on the
 * node's containerd ({@link KubeletStandIn}: sandbox, then each container; a {@code kompact-restore} pod's creations
 * park until the agent restores them), then reports its status back as the kubelet does: phase, podIP, each
 * container's runtime id and state, ContainersReady, and Ready once every readiness gate is True. When the Pod is
 * deleted, its sandboxes are stopped and removed. The agents' DaemonSet pods are not run: the node's agent is a
 * process of the test ({@code AgentProcess}).
 *
 * <p>Each container's command is {@code /bin/sh -c SCRIPT} in the busybox image {@link BusyboxImage}, whatever the
 * Pod names as its image; the RuntimeClass name is the containerd runtime handler, as the chart's RuntimeClass has it.
 */
final class CriKubelet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CriKubelet.class);

    private final KubernetesClient client;
    private final ContainerdNode node;
    private final ExecutorService starts = Executors.newCachedThreadPool();
    /** Status writes in the order the watch saw their causes. */
    private final ExecutorService updates = Executors.newSingleThreadExecutor();

    private final Set<String> seen = new HashSet<>();
    private final Set<String> starting = new HashSet<>();
    private final Set<String> deleted = new HashSet<>();
    private final Watch watch;

    CriKubelet(KubernetesClient client, ContainerdNode node) {
        this.client = client;
        this.node = node;
        this.watch = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (node.name().equals(pod.getSpec().getNodeName()) && !daemonSetPod(pod)) {
                    seen(action, pod);
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    private void seen(Watcher.Action action, Pod pod) {
        String uid = pod.getMetadata().getUid();
        synchronized (this) {
            if (action == Watcher.Action.DELETED) {
                deleted.add(uid);
                if (starting.contains(uid)) {
                    return; // its start removes it once the creations it waits on return
                }
            } else if (seen.add(uid)) {
                starting.add(uid);
                starts.submit(() -> start(pod));
                return;
            }
        }
        if (action == Watcher.Action.DELETED) {
            updates.submit(() -> remove(uid));
        } else {
            updates.submit(() -> update(pod, CriKubelet::readyAsGated));
        }
    }

    private void start(Pod pod) {
        String uid = pod.getMetadata().getUid();
        try {
            KubeletStandIn.RunningPod running = node.kubelet().run(criPod(pod));
            updates.submit(() -> update(pod, p -> running(p, running)));
        } catch (Exception e) {
            log.info("{} on {}: {}", pod.getMetadata().getName(), node.name(), e.toString());
            updates.submit(() -> update(pod, p -> waiting(p, "CreateContainerError", String.valueOf(e.getMessage()))));
        }
        synchronized (this) {
            starting.remove(uid);
            if (!deleted.contains(uid)) {
                return;
            }
        }
        updates.submit(() -> remove(uid));
    }

    private void remove(String uid) {
        try {
            node.kubelet().removeAll(uid);
        } catch (RuntimeException e) {
            log.warn("removing pod {} from {}: {}", uid, node.name(), e.toString());
        }
    }

    private static KubeletStandIn.Pod criPod(Pod pod) {
        List<KubeletStandIn.Container> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            List<String> line = Stream.concat(
                            c.getCommand() == null ? Stream.empty() : c.getCommand().stream(),
                            c.getArgs() == null ? Stream.empty() : c.getArgs().stream())
                    .toList();
            if (line.size() != 3
                    || !line.get(0).equals("/bin/sh")
                    || !line.get(1).equals("-c")) {
                throw new IllegalArgumentException(
                        "container " + c.getName() + " runs " + line + ": this kubelet runs only /bin/sh -c SCRIPT");
            }
            List<String> added = c.getSecurityContext() == null
                            || c.getSecurityContext().getCapabilities() == null
                            || c.getSecurityContext().getCapabilities().getAdd() == null
                    ? List.of()
                    : c.getSecurityContext().getCapabilities().getAdd();
            containers.add(new KubeletStandIn.Container(c.getName(), line.get(2), added));
        }
        return new KubeletStandIn.Pod(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                pod.getSpec().getRuntimeClassName() == null ? "" : pod.getSpec().getRuntimeClassName(),
                pod.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : pod.getMetadata().getAnnotations(),
                containers);
    }

    private static boolean daemonSetPod(Pod pod) {
        return pod.getMetadata().getOwnerReferences() != null
                && pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
    }

    private static Pod running(Pod pod, KubeletStandIn.RunningPod running) {
        Pod changed = new PodBuilder(pod).build();
        PodStatus status = changed.getStatus() == null ? new PodStatus() : changed.getStatus();
        changed.setStatus(status);
        status.setPhase("Running");
        status.setPodIP(running.ip());
        status.setStartTime(Instant.now().toString());
        status.setContainerStatuses(statuses(
                pod,
                (c, s) -> s.withContainerID(
                                "containerd://" + running.containerIds().get(c.getName()))
                        .withReady(true)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt(Instant.now().toString())
                        .endRunning()
                        .endState()));
        setCondition(changed, "ContainersReady", true);
        setCondition(changed, "Ready", gatesTrue(changed));
        return changed;
    }

    private static Pod waiting(Pod pod, String reason, String message) {
        Pod changed = new PodBuilder(pod).build();
        PodStatus status = changed.getStatus() == null ? new PodStatus() : changed.getStatus();
        changed.setStatus(status);
        status.setPhase("Pending");
        status.setContainerStatuses(statuses(
                pod,
                (c, s) -> s.withReady(false)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()));
        setCondition(changed, "ContainersReady", false);
        setCondition(changed, "Ready", false);
        return changed;
    }

    /** Ready follows the readiness gates of a running gated pod; others' Ready is left as it is. */
    private static Pod readyAsGated(Pod pod) {
        if (pod.getSpec().getReadinessGates() == null
                || pod.getSpec().getReadinessGates().isEmpty()
                || !condition(pod, "ContainersReady")) {
            return pod;
        }
        boolean ready = gatesTrue(pod);
        if (condition(pod, "Ready") == ready) {
            return pod;
        }
        Pod changed = new PodBuilder(pod).build();
        setCondition(changed, "Ready", ready);
        return changed;
    }

    private interface StatusOf {
        ContainerStatusBuilder apply(Container container, ContainerStatusBuilder status);
    }

    private static List<ContainerStatus> statuses(Pod pod, StatusOf state) {
        return pod.getSpec().getContainers().stream()
                .map(c -> state.apply(
                                c,
                                new ContainerStatusBuilder()
                                        .withName(c.getName())
                                        .withImage(c.getImage()))
                        .build())
                .toList();
    }

    private static boolean gatesTrue(Pod pod) {
        List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
        return gates == null || gates.stream().allMatch(g -> condition(pod, g.getConditionType()));
    }

    private static boolean condition(Pod pod, String type) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void setCondition(Pod pod, String type, boolean value) {
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus().getConditions() != null) {
            pod.getStatus().getConditions().stream()
                    .filter(c -> !type.equals(c.getType()))
                    .forEach(conditions::add);
        }
        conditions.add(new PodConditionBuilder()
                .withType(type)
                .withStatus(value ? "True" : "False")
                .withLastTransitionTime(Instant.now().toString())
                .build());
        pod.getStatus().setConditions(conditions);
    }

    /** Applied to the freshest copy of the same pod (same UID, not being deleted); written only when it changes. */
    private void update(Pod pod, UnaryOperator<Pod> change) {
        var resource = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName());
        try {
            Pod current = resource.get();
            if (current == null
                    || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())
                    || current.getMetadata().getDeletionTimestamp() != null) {
                return;
            }
            if (change.apply(current) != current) {
                resource.edit(
                        p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()) ? change.apply(p) : p);
            }
        } catch (KubernetesClientException e) {
            // deleted meanwhile: nothing to report
        }
    }

    @Override
    public void close() {
        watch.close();
        starts.shutdownNow();
        updates.shutdownNow();
    }
}
