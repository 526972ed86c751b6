package dev.kompact.sim.baseline;

import dev.kompact.optimizer.greedy.Simulation;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cluster Autoscaler's scale-down (kubernetes/autoscaler, {@code cluster-autoscaler/FAQ.md} "How does scale-down
 * work?", {@code core/scaledown}, {@code simulator}), replayed until no node can go. It never buys a node.
 * <ol>
 *   <li>A node is unneeded when its utilization — the larger of requested CPU and memory over allocatable,
 *       DaemonSet pods included; requested GPUs alone on a GPU node ({@code simulator/utilization}) — is below
 *       {@code --scale-down-utilization-threshold} 0.5, it is not annotated
 *       {@code cluster-autoscaler.kubernetes.io/scale-down-disabled}, and every pod on it but DaemonSet and mirror
 *       pods can move: none is pinned ({@link MobilityRules}: no controller, local storage, {@code safe-to-evict:
 *       "false"}...), none is a kube-system pod without a PodDisruptionBudget ({@code --skip-nodes-with-system-pods}),
 *       none has a budget that allows no disruption, and each finds a node the scheduler admits it to, first fit
 *       over the other nodes as the hinting simulator tries them.</li>
 *   <li>Non-empty nodes are removed one at a time, to lower the risk of unschedulable pods; here the least utilized
 *       first, each simulated on the cluster the previous removals left.</li>
 * </ol>
 * Not modelled: the 10 minutes a node must stay unneeded, node group minimum sizes, bulk deletion of empty nodes
 * (which ends in the same place).
 */
public final class ClusterAutoscalerScaleDown implements BaselinePolicy {

    static final double UTILIZATION_THRESHOLD = 0.5;
    private static final String KUBE_SYSTEM = "kube-system";

    @Override
    public String name() {
        return "Cluster Autoscaler";
    }

    @Override
    public BaselineResult run(ClusterSnapshot snapshot) {
        long start = System.nanoTime();
        Simulation simulation = new Simulation(snapshot, "cluster-autoscaler");
        Set<PodKey> unevictable = unevictable(snapshot);
        Set<String> refused = new HashSet<>();
        boolean removedSinceRefusals = false;
        while (true) {
            Optional<Node> next = unneeded(simulation, unevictable).stream()
                    .filter(n -> !refused.contains(n.name()))
                    .findFirst();
            if (next.isEmpty()) {
                if (!removedSinceRefusals) {
                    break;
                }
                // a removal changes where pods fit and how spread they are: give the refused nodes another chance
                refused.clear();
                removedSinceRefusals = false;
                continue;
            }
            if (drain(simulation, next.get())) {
                simulation.commit();
                simulation.removeNode(next.get().name());
                removedSinceRefusals = true;
            } else {
                simulation.rollbackTo(0);
                refused.add(next.get().name());
            }
        }
        return BaselineResult.of(name(), snapshot, simulation.committed(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Moves every pod off the node onto the first other node that admits it; false when one cannot move. */
    private static boolean drain(Simulation simulation, Node node) {
        List<Pod> pods = simulation.workloadOn(node.name());
        List<String> nodes = simulation.state().nodes().stream().map(Node::name).toList();
        Set<String> leaving = Set.of(node.name());
        for (Pod pod : pods) {
            simulation.unplace(pod);
        }
        for (Pod pod : pods) {
            Optional<String> target = simulation.firstAdmitting(pod, nodes, leaving);
            if (target.isEmpty()) {
                return false;
            }
            simulation.move(pod, target.get());
        }
        return true;
    }

    /** Unneeded nodes whose pods may all be evicted, least utilized first. */
    private static List<Node> unneeded(Simulation simulation, Set<PodKey> unevictable) {
        Map<Node, Double> utilization = new HashMap<>();
        for (Node node : simulation.state().nodes()) {
            double used = utilization(node, simulation.state().requested(node.name()));
            if (used < UTILIZATION_THRESHOLD
                    && !MobilityRules.isKept(node)
                    && simulation.workloadOn(node.name()).stream().noneMatch(p -> unevictable.contains(p.key()))) {
                utilization.put(node, used);
            }
        }
        return utilization.keySet().stream()
                .sorted(Comparator.comparingDouble((Node n) -> utilization.get(n))
                        .thenComparing(Node::name))
                .toList();
    }

    private static double utilization(Node node, ResourceList requested) {
        long gpus = node.allocatable().get(ResourceNames.NVIDIA_GPU);
        if (gpus > 0) {
            return (double) requested.get(ResourceNames.NVIDIA_GPU) / gpus;
        }
        return Math.max(share(requested, node, ResourceNames.CPU), share(requested, node, ResourceNames.MEMORY));
    }

    private static double share(ResourceList requested, Node node, String resource) {
        long allocatable = node.allocatable().get(resource);
        return allocatable == 0 ? 0 : (double) requested.get(resource) / allocatable;
    }

    /** The pods that keep their node: whether a pod may be evicted does not change while the policy runs. */
    private static Set<PodKey> unevictable(ClusterSnapshot snapshot) {
        Map<String, Node> nodes = new HashMap<>();
        snapshot.nodes().forEach(n -> nodes.put(n.name(), n));
        Set<PodKey> keys = new HashSet<>();
        for (Pod pod : snapshot.pods()) {
            Node node = nodes.get(pod.nodeName());
            List<PodDisruptionBudget> covering = snapshot.podDisruptionBudgets().stream()
                    .filter(b -> b.covers(pod))
                    .toList();
            if (!pod.isNodeBound()
                    && (MobilityRules.classify(pod, node) == Mobility.PINNED
                            || (KUBE_SYSTEM.equals(pod.namespace()) && covering.isEmpty())
                            || covering.stream().anyMatch(b -> b.disruptionsAllowed() <= 0))) {
                keys.add(pod.key());
            }
        }
        return keys;
    }
}
