package dev.kompact.executor.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Nothing runs pods on the mock server: this watcher plays every node's kubelet, reporting a pod bound to a node
 * Running and Ready after {@code startDelay}, so that the executor's waits for replacements are real waits.
 */
final class FakeKubelet implements AutoCloseable {

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
                        && pod.getSpec().getNodeName() != null
                        && (pod.getStatus() == null
                                || !"Running".equals(pod.getStatus().getPhase()))) {
                    starter.schedule(() -> start(pod), startDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    static Pod ready(Pod pod) {
        return new PodBuilder(pod)
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("app")
                .withReady(true)
                .withContainerID("containerd://" + pod.getMetadata().getName())
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private void start(Pod pod) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .edit(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()) ? ready(p) : p);
        } catch (KubernetesClientException e) {
            // the pod was deleted before it started: nothing to report
        }
    }

    @Override
    public void close() {
        watch.close();
        starter.shutdownNow();
    }
}
