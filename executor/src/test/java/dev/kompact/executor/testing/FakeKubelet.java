package dev.kompact.executor.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Nothing runs pods on the mock server: this watcher plays every node's kubelet, reporting a pod bound to a node
 * Running and Ready after {@code startDelay}, so that the executor's waits for replacements are real waits. As the
 * kubelet does, a pod is Ready only when its containers are and every readiness gate's condition is True. A pod of
 * the {@value #RESTORE_RUNTIME} runtime class does not start by itself: its containers stay parked in creation until
 * an agent restores them into it ({@link #restore}) or gives up ({@link #failRestore}).
 */
public final class FakeKubelet implements AutoCloseable {

    public static final String RESTORE_RUNTIME = "kompact-restore";
    static final String PARKED = "ContainerCreating";

    private final KubernetesClient client;
    private final Duration startDelay;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
    private final Watch watch;

    FakeKubelet(KubernetesClient client, Duration startDelay) {
        this.client = client;
        this.startDelay = startDelay;
        this.watch = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if ((action == Action.ADDED || action == Action.MODIFIED)
                        && pod.getSpec().getNodeName() != null) {
                    starter.schedule(() -> reconcile(pod), startDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    static Pod ready(Pod pod) {
        return running(pod, true);
    }

    /** The restored containers run: the pod is Running, Ready once its readiness gates say so. */
    public void restore(String namespace, String name) {
        update(namespace, name, p -> running(p, true));
    }

    /** What the kubelet shows when the restore runtime's create failed: the containers wait with the error. */
    public void failRestore(String namespace, String name, String message) {
        update(namespace, name, p -> waiting(p, "CreateContainerError", message));
    }

    /** Whether every container of the pod is parked by the restore runtime, waiting for its image. */
    public static boolean parked(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getContainerStatuses() != null
                && !pod.getStatus().getContainerStatuses().isEmpty()
                && pod.getStatus().getContainerStatuses().stream()
                        .allMatch(c -> c.getState() != null
                                && c.getState().getWaiting() != null
                                && PARKED.equals(c.getState().getWaiting().getReason()));
    }

    private void reconcile(Pod seen) {
        update(seen.getMetadata().getNamespace(), seen.getMetadata().getName(), p -> {
            if (!p.getMetadata().getUid().equals(seen.getMetadata().getUid())) {
                return p;
            }
            boolean running =
                    p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
            if (running) {
                // Ready is recomputed for gated pods only: the executor marks a handed-off source not Ready itself
                return p.getSpec().getReadinessGates() == null
                                || p.getSpec().getReadinessGates().isEmpty()
                        ? p
                        : readyAsGated(p);
            }
            if (!RESTORE_RUNTIME.equals(p.getSpec().getRuntimeClassName())) {
                return running(p, true);
            }
            return p.getStatus() == null || p.getStatus().getPhase() == null
                    ? waiting(p, PARKED, "parked by " + RESTORE_RUNTIME + " until its image arrives")
                    : p;
        });
    }

    /** Sets Ready from the containers and the readiness gates; the same pod when nothing changes. */
    private static Pod readyAsGated(Pod pod) {
        boolean containersReady = condition(pod, "ContainersReady", true);
        boolean ready = containersReady && gatesTrue(pod);
        if (condition(pod, "Ready", true) == ready) {
            return pod;
        }
        Pod changed = new PodBuilder(pod).build();
        setCondition(changed, "Ready", ready);
        return changed;
    }

    private static Pod running(Pod pod, boolean containersReady) {
        Pod running = new PodBuilder(pod).build();
        if (running.getStatus() == null) {
            running.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        }
        running.getStatus().setPhase("Running");
        running.getStatus().setReason(null);
        running.getStatus()
                .setContainerStatuses(statuses(
                        pod,
                        c -> c.withReady(containersReady)
                                .withNewState()
                                .withNewRunning()
                                .endRunning()
                                .endState()));
        setCondition(running, "ContainersReady", containersReady);
        setCondition(running, "Ready", containersReady && gatesTrue(running));
        return running;
    }

    private static Pod waiting(Pod pod, String reason, String message) {
        Pod waiting = new PodBuilder(pod).build();
        if (waiting.getStatus() == null) {
            waiting.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        }
        waiting.getStatus().setPhase("Pending");
        waiting.getStatus()
                .setContainerStatuses(statuses(
                        pod,
                        c -> c.withReady(false)
                                .withNewState()
                                .withNewWaiting()
                                .withReason(reason)
                                .withMessage(message)
                                .endWaiting()
                                .endState()));
        setCondition(waiting, "ContainersReady", false);
        setCondition(waiting, "Ready", false);
        return waiting;
    }

    private static List<ContainerStatus> statuses(Pod pod, UnaryOperator<ContainerStatusBuilder> state) {
        return pod.getSpec().getContainers().stream()
                .map(c -> state.apply(new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withImage(c.getImage())
                                .withContainerID(
                                        "containerd://" + pod.getMetadata().getName() + "-" + c.getName()))
                        .build())
                .toList();
    }

    private static boolean gatesTrue(Pod pod) {
        List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
        return gates == null || gates.stream().allMatch(g -> condition(pod, g.getConditionType(), true));
    }

    private static boolean condition(Pod pod, String type, boolean value) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType())
                                && String.valueOf(value).equalsIgnoreCase(c.getStatus()));
    }

    private static void setCondition(Pod pod, String type, boolean value) {
        List<PodCondition> conditions = pod.getStatus().getConditions() == null
                ? new ArrayList<>()
                : new ArrayList<>(pod.getStatus().getConditions().stream()
                        .filter(c -> !type.equals(c.getType()))
                        .toList());
        conditions.add(new PodConditionBuilder()
                .withType(type)
                .withStatus(value ? "True" : "False")
                .build());
        pod.getStatus().setConditions(conditions);
    }

    /** Writes only a change (an unchanged write would be seen again, and again); applied to the freshest pod. */
    private synchronized void update(String namespace, String name, UnaryOperator<Pod> change) {
        try {
            Pod current = client.pods().inNamespace(namespace).withName(name).get();
            if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
                return;
            }
            if (change.apply(current) != current) {
                client.pods().inNamespace(namespace).withName(name).edit(change);
            }
        } catch (KubernetesClientException e) {
            // the pod was deleted meanwhile: nothing to report
        }
    }

    @Override
    public void close() {
        watch.close();
        starter.shutdownNow();
    }
}
