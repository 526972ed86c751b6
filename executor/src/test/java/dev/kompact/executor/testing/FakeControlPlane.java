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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What kube-controller-manager and kube-scheduler would do for the tests: a ReplicaSet controller that counts the
 * active pods it controls against its replicas (one per {@link #replicaSet} call), recreating after a deletion the
 * pods missing and deleting those beyond (lowest ranked first, as the real one: unscheduled, pending, not Ready, lowest
 * {@code pod-deletion-cost}, newest), and a scheduler that binds a new pod to the Ready node with the fewest pods whose
 * taints and cordon it tolerates (a toleration with neither key nor effect tolerates everything, as in Kubernetes).
 */
final class FakeControlPlane implements AutoCloseable {

    private final KubernetesClient client;
    private final Map<String, String> replicaSetUids = new ConcurrentHashMap<>();
    private final Map<String, Integer> replicas = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final Watch watch;

    FakeControlPlane(KubernetesClient client) {
        this.client = client;
        this.watch = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                // scaled up only after a deletion: a test adds a replica just before creating its pod
                replicaSetOf(pod).ifPresent(owner -> worker.submit(() -> sync(pod, owner, action == Action.DELETED)));
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    /** One more replica of the ReplicaSet, made on first use. */
    void replicaSet(String namespace, String name) {
        String uid = replicaSetUids.computeIfAbsent(
                namespace + "/" + name, k -> UUID.randomUUID().toString());
        replicas.merge(uid, 1, Integer::sum);
    }

    /** Pods the ReplicaSets created. */
    int created() {
        return created.get();
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

    private void sync(Pod seen, OwnerReference owner, boolean mayScaleUp) {
        List<Pod> active;
        try {
            active = client.pods().inNamespace(seen.getMetadata().getNamespace()).list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(p -> replicaSetOf(p)
                            .map(o -> o.getUid().equals(owner.getUid()))
                            .orElse(false))
                    .sorted(DELETION_ORDER)
                    .toList();
        } catch (KubernetesClientException e) {
            return;
        }
        int wanted = replicas.getOrDefault(owner.getUid(), 0);
        for (int i = 0; i < active.size() - wanted; i++) {
            Pod extra = active.get(i);
            client.pods()
                    .inNamespace(extra.getMetadata().getNamespace())
                    .resource(extra)
                    .delete();
        }
        for (int i = active.size(); mayScaleUp && i < wanted; i++) {
            replace(seen, owner);
        }
    }

    private static final Comparator<Pod> DELETION_ORDER = Comparator.<Pod, Boolean>comparing(
                    p -> p.getSpec().getNodeName() != null)
            .thenComparing(
                    p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .thenComparing(dev.kompact.executor.cluster.Pods::isReady)
            .thenComparing(FakeControlPlane::deletionCost)
            .thenComparing(
                    p -> p.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : p.getMetadata().getCreationTimestamp(),
                    Comparator.reverseOrder());

    private static int deletionCost(Pod pod) {
        String cost = pod.getMetadata().getAnnotations() == null
                ? null
                : pod.getMetadata().getAnnotations().get("controller.kubernetes.io/pod-deletion-cost");
        return cost == null ? 0 : Integer.parseInt(cost);
    }

    private void replace(Pod gone, OwnerReference owner) {
        created.incrementAndGet();
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
