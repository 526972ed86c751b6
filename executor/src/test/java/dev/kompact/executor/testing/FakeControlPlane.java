package dev.kompact.executor.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What kube-controller-manager and kube-scheduler would do for the tests: a ReplicaSet controller that recreates a
 * deleted pod of a ReplicaSet, and a scheduler that binds it to the Ready node with the fewest pods whose taints and
 * cordon it tolerates (a toleration with neither key nor effect tolerates everything, as in Kubernetes).
 */
final class FakeControlPlane implements AutoCloseable {

    private final KubernetesClient client;
    private final Map<String, String> replicaSetUids = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final Watch watch;

    FakeControlPlane(KubernetesClient client) {
        this.client = client;
        this.watch = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    replicaSetOf(pod).ifPresent(owner -> worker.submit(() -> replace(pod, owner)));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    void replicaSet(String namespace, String name) {
        replicaSetUids.computeIfAbsent(
                namespace + "/" + name, k -> UUID.randomUUID().toString());
    }

    String replicaSetUid(String namespace, String name) {
        return replicaSetUids.get(namespace + "/" + name);
    }

    private Optional<OwnerReference> replicaSetOf(Pod pod) {
        if (pod.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return pod.getMetadata().getOwnerReferences().stream()
                .filter(o -> "ReplicaSet".equals(o.getKind()))
                .filter(o -> replicaSetUids.containsValue(o.getUid()))
                .findFirst();
    }

    private void replace(Pod gone, OwnerReference owner) {
        Optional<String> node = schedule(gone);
        Pod replacement = new PodBuilder()
                .withNewMetadata()
                .withNamespace(gone.getMetadata().getNamespace())
                .withName(owner.getName() + "-" + UUID.randomUUID().toString().substring(0, 5))
                .withLabels(gone.getMetadata().getLabels())
                .withOwnerReferences(owner)
                .endMetadata()
                .withSpec(gone.getSpec())
                .build();
        replacement.getSpec().setNodeName(node.orElse(null));
        try {
            client.pods().resource(replacement).create();
        } catch (KubernetesClientException e) {
            // the test is closing the cluster
        }
    }

    private Optional<String> schedule(Pod pod) {
        return client.nodes().list().getItems().stream()
                .filter(n -> schedulable(n, pod))
                .min(Comparator.comparingLong(this::podCount)
                        .thenComparing(n -> n.getMetadata().getName()))
                .map(n -> n.getMetadata().getName());
    }

    private static boolean schedulable(Node node, Pod pod) {
        boolean ready = node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean cordoned = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        boolean tainted = node.getSpec().getTaints() != null
                && node.getSpec().getTaints().stream()
                        .anyMatch(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
        return ready && ((!cordoned && !tainted) || toleratesEverything(pod));
    }

    private static boolean toleratesEverything(Pod pod) {
        return pod.getSpec().getTolerations() != null
                && pod.getSpec().getTolerations().stream()
                        .anyMatch(t -> t.getKey() == null && t.getEffect() == null && "Exists".equals(t.getOperator()));
    }

    private long podCount(Node node) {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> node.getMetadata().getName().equals(p.getSpec().getNodeName()))
                .count();
    }

    @Override
    public void close() {
        watch.close();
        worker.shutdownNow();
    }
}
