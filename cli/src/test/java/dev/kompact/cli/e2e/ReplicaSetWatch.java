package dev.kompact.cli.e2e;

import dev.kompact.executor.cluster.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every change to the namespace's pods, as a watch sees it: the most pods of the ReplicaSet (or named as its pods are,
 * as a handoff's target is) Ready at once, and the fewest of the ReplicaSet that exist (not being deleted).
 */
final class ReplicaSetWatch implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final String replicaSetUid;
    private final String namePrefix;
    private final Watch watch;
    private final List<Integer> ready = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> counted = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    ReplicaSetWatch(KubernetesClient client, String namespace, String replicaSetUid, String namePrefix) {
        this.client = client;
        this.namespace = namespace;
        this.replicaSetUid = replicaSetUid;
        this.namePrefix = namePrefix;
        look();
        this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                look();
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    private void look() {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        // the ReplicaSet's pods and the handoff's target, named after its source
        ready.add((int) pods.stream()
                .filter(p -> p.getMetadata().getName().startsWith(namePrefix))
                .filter(Pods::isReady)
                .count());
        counted.add(owned(pods).size());
        pods.forEach(p -> seen.add(p.getMetadata().getName()));
    }

    /** The names of every pod of the namespace the watch saw. */
    Set<String> seen() {
        return Set.copyOf(seen);
    }

    List<Pod> owned() {
        return owned(client.pods().inNamespace(namespace).list().getItems());
    }

    private List<Pod> owned(List<Pod> pods) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> Pods.controller(p)
                        .map(o -> replicaSetUid.equals(o.getUid()))
                        .orElse(false))
                .toList();
    }

    int mostReady() {
        synchronized (ready) {
            return ready.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    int fewestPods() {
        synchronized (counted) {
            return counted.stream().mapToInt(Integer::intValue).min().orElse(0);
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
