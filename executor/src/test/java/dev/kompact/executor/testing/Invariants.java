package dev.kompact.executor.testing;

import dev.kompact.executor.cluster.Pods;
import dev.kompact.optimizer.model.PodKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, at the instant of every eviction, that the pods already disrupted (replicas not Ready: evicted and not
 * yet replaced) leave room under {@code maxConcurrentMigrations}.
 */
public final class Invariants {

    private final List<String> violations = new ArrayList<>();

    public static Invariants watch(TestCluster cluster, int maxConcurrentMigrations) {
        Invariants invariants = new Invariants();
        cluster.evictions().beforeEviction((pod, namespacePods) -> {
            List<PodKey> disrupted = namespacePods.stream()
                    .filter(p ->
                            !p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
                    .filter(p -> Pods.controller(p)
                            .map(o -> "ReplicaSet".equals(o.getKind()))
                            .orElse(false))
                    .filter(p -> !Pods.isReady(p))
                    .map(Pods::key)
                    .toList();
            if (disrupted.size() + 1 > maxConcurrentMigrations) {
                invariants.add("evicting " + Pods.key(pod) + " while " + disrupted + " are not Ready yet: more than "
                        + maxConcurrentMigrations + " at once");
            }
        });
        return invariants;
    }

    synchronized void add(String violation) {
        violations.add(violation);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
