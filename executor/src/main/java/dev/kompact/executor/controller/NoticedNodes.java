package dev.kompact.executor.controller;

import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.ResourceList;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;

/**
 * The nodes the cloud has announced the end of, which no plan may give pods, whatever the policy's mode: a dry-run
 * evacuation leaves the node uncordoned, and a regular round would otherwise see a node with free room.
 *
 * <p>A node is noticed from when the interruption listener hears of it ({@link #record}, even if no evacuation plan
 * could be made), and for as long as an evacuation plan names it, so a new leader knows too. It stays noticed while
 * it exists: a spot reclaim or a retirement ends it, and a pool's rebalance risk does not pass. A node created after
 * the notice only reuses the name (EKS names nodes by private IP) and is not noticed.
 */
final class NoticedNodes {

    private static final BinaryOperator<Instant> EARLIER = BinaryOperator.minBy(Comparator.naturalOrder());

    private final Map<String, Instant> heard = new ConcurrentHashMap<>();

    void record(String node, Instant at) {
        heard.merge(node, at, EARLIER);
    }

    /**
     * @param nodes the cluster's nodes now; a heard-of node no longer among them is forgotten
     * @param plans every RebalancePlan, whatever its phase
     */
    Set<String> in(Collection<io.fabric8.kubernetes.api.model.Node> nodes, Collection<RebalancePlanResource> plans) {
        Map<String, Instant> noticedAt = new HashMap<>(heard);
        for (RebalancePlanResource plan : plans) {
            String node = plan.getSpec().evacuatedNode;
            if (node != null) {
                noticedAt.merge(node, time(plan.getMetadata().getCreationTimestamp(), Instant.MAX), EARLIER);
            }
        }
        Map<String, Instant> existing = new HashMap<>();
        nodes.forEach(n ->
                existing.put(n.getMetadata().getName(), time(n.getMetadata().getCreationTimestamp(), Instant.EPOCH)));
        heard.keySet().retainAll(existing.keySet());
        return noticedAt.entrySet().stream()
                .filter(e -> existing.containsKey(e.getKey())
                        && !existing.get(e.getKey()).isAfter(e.getValue()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The snapshot with the nodes noticed now unschedulable: pods on them may stay or go, none may arrive.
     *
     * @param nodes the cluster's nodes now, as for {@link #in}
     * @param plans every RebalancePlan, as for {@link #in}
     */
    ClusterSnapshot close(
            ClusterSnapshot snapshot,
            Collection<io.fabric8.kubernetes.api.model.Node> nodes,
            Collection<RebalancePlanResource> plans) {
        return close(snapshot, in(nodes, plans));
    }

    static ClusterSnapshot close(ClusterSnapshot snapshot, Set<String> noticed) {
        return new ClusterSnapshot(
                snapshot.name(),
                snapshot.nodes().stream()
                        .map(n -> noticed.contains(n.name()) && !n.unschedulable() ? closed(n, n.allocatable()) : n)
                        .toList(),
                snapshot.pods(),
                snapshot.podDisruptionBudgets(),
                snapshot.offerings());
    }

    /** {@code n} made unschedulable, with {@code allocatable}. */
    static Node closed(Node n, ResourceList allocatable) {
        return new Node(
                n.name(),
                n.instanceType(),
                n.zone(),
                n.capacityType(),
                n.pricePerHourMicros(),
                n.labels(),
                n.annotations(),
                n.taints(),
                allocatable,
                true);
    }

    /** @param unset for a timestamp the API server has not set yet: chosen so that it never hides a notice */
    private static Instant time(String timestamp, Instant unset) {
        return timestamp == null ? unset : Instant.parse(timestamp);
    }
}
