package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Re-checks a finished plan against the snapshot it was made from, written apart from the solver so that the two
 * cannot share a mistake. It rebuilds the cluster after the plan (added nodes from their offerings, with the
 * DaemonSet pods they would run) and checks every rule the scheduler applies to a pod arriving on a node, that
 * pinned pods stay, that removed nodes are left empty, and that the costs add up. An empty list means valid.
 */
public final class PlanVerifier {

    public List<String> verify(ClusterSnapshot snapshot, RebalancePlan plan) {
        List<String> violations = new ArrayList<>();
        Map<String, Node> nodes = new LinkedHashMap<>();
        snapshot.nodes().forEach(n -> nodes.put(n.name(), n));
        Map<String, Pod> pods = new HashMap<>();
        snapshot.pods().forEach(p -> pods.put(p.key(), p));

        Map<String, Target> targets = new LinkedHashMap<>();
        Set<String> removed = new HashSet<>(plan.nodesRemoved());
        for (Node node : snapshot.nodes()) {
            if (!removed.contains(node.name())) {
                targets.put(node.name(), new Target(node.labels(), node.taints(), node.allocatable(),
                        node.unschedulable(), node.pricePerHourMicros()));
            }
        }
        for (String name : plan.nodesRemoved()) {
            if (!nodes.containsKey(name)) {
                violations.add("removed node " + name + " is not in the snapshot");
            }
        }
        for (AddedNode added : plan.nodesAdded()) {
            InstanceOffering offering = offeringOf(snapshot, added);
            if (offering == null) {
                violations.add("added node " + added.name() + ": no offering " + added.instanceType() + " "
                        + added.zone() + " " + added.capacityType() + " in the snapshot");
            } else if (targets.containsKey(added.name()) || nodes.containsKey(added.name())) {
                violations.add("added node " + added.name() + " has the name of another node");
            } else {
                Map<String, String> labels = new TreeMap<>(offering.labels());
                labels.put(WellKnownLabels.HOSTNAME, added.name());
                targets.put(added.name(), new Target(labels, List.of(), offering.allocatable(), false,
                        offering.pricePerHourMicros()));
            }
        }

        Map<String, String> finalNode = new HashMap<>();
        snapshot.pods().forEach(p -> {
            if (p.nodeName() != null) {
                finalNode.put(p.key(), p.nodeName());
            }
        });
        Map<String, List<Pod>> arriving = new HashMap<>();
        Set<String> moved = new HashSet<>();
        for (PodMove move : plan.moves()) {
            Pod pod = pods.get(move.pod());
            if (pod == null) {
                violations.add("move of " + move.pod() + ": no such pod");
                continue;
            }
            if (!moved.add(pod.key())) {
                violations.add("pod " + pod.key() + " is moved twice");
            }
            if (!Objects.equals(move.from(), pod.nodeName())) {
                violations.add("move of " + pod.key() + " starts from " + move.from() + " but the pod is on "
                        + pod.nodeName());
            }
            if (pod.isNodeBound() || (pod.nodeName() != null
                    && MobilityRules.classify(pod, nodes.get(pod.nodeName())) == Mobility.PINNED)) {
                violations.add("pod " + pod.key() + " is pinned to " + pod.nodeName() + " but the plan moves it");
            }
            Target target = targets.get(move.to());
            if (target == null) {
                violations.add("pod " + pod.key() + " moves to " + move.to() + ", which the plan does not keep");
                continue;
            }
            finalNode.put(pod.key(), move.to());
            arriving.computeIfAbsent(move.to(), k -> new ArrayList<>()).add(pod);
            if (!pod.acceptsNodeLabels(target.labels())) {
                violations.add("pod " + pod.key() + " on " + move.to() + ": node selector or affinity not met");
            }
            if (!pod.toleratesAll(target.taints())) {
                violations.add("pod " + pod.key() + " on " + move.to() + ": a taint is not tolerated");
            }
            if (target.unschedulable()) {
                violations.add("pod " + pod.key() + " moves onto unschedulable node " + move.to());
            }
        }

        Map<String, ResourceList> load = new HashMap<>();
        for (Pod pod : snapshot.pods()) {
            String node = finalNode.get(pod.key());
            if (node == null) {
                continue;
            }
            if (removed.contains(node)) {
                if (!pod.isNodeBound()) {
                    violations.add("removed node " + node + " still holds pod " + pod.key());
                }
                continue;
            }
            load.merge(node, pod.requests().with(ResourceNames.PODS, 1), ResourceList::plus);
        }
        for (AddedNode added : plan.nodesAdded()) {
            Target target = targets.get(added.name());
            if (target != null) {
                load.merge(added.name(), daemonSetLoad(snapshot, target), ResourceList::plus);
            }
        }
        for (String node : arriving.keySet()) {
            Target target = targets.get(node);
            if (target == null) {
                continue;
            }
            load.getOrDefault(node, ResourceList.EMPTY).amounts().forEach((resource, amount) -> {
                if (amount > target.allocatable().get(resource)) {
                    violations.add("node " + node + ": pods request " + amount + " " + resource
                            + ", allocatable is " + target.allocatable().get(resource));
                }
            });
        }

        Set<String> unplaced = new HashSet<>(plan.unplacedPods());
        for (Pod pod : snapshot.pods()) {
            if (pod.isPending() && !moved.contains(pod.key()) && !unplaced.contains(pod.key())) {
                violations.add("pending pod " + pod.key() + " is neither placed nor reported unplaced");
            }
            if (!pod.isPending() && unplaced.contains(pod.key())) {
                violations.add("running pod " + pod.key() + " is reported unplaced");
            }
        }

        long before = snapshot.nodes().stream().mapToLong(Node::pricePerHourMicros).sum();
        long after = targets.values().stream().mapToLong(Target::pricePerHourMicros).sum();
        if (plan.costBefore().microsPerHour() != before) {
            violations.add("costBefore is " + plan.costBefore().perHour() + " but the nodes cost " + before + " µ$/h");
        }
        if (plan.costAfter().microsPerHour() != after) {
            violations.add("costAfter is " + plan.costAfter().perHour() + " but the kept and added nodes cost "
                    + after + " µ$/h");
        }
        return violations;
    }

    private static ResourceList daemonSetLoad(ClusterSnapshot snapshot, Target target) {
        Map<String, Pod> daemonSets = new HashMap<>();
        snapshot.pods().stream().filter(p -> p.owner() != null && p.owner().isDaemonSet())
                .forEach(p -> daemonSets.putIfAbsent(p.namespace() + "/" + p.owner().name(), p));
        ResourceList total = ResourceList.EMPTY;
        for (Pod pod : daemonSets.values()) {
            if (pod.acceptsNodeLabels(target.labels()) && pod.toleratesAll(target.taints())) {
                total = total.plus(pod.requests().with(ResourceNames.PODS, 1));
            }
        }
        return total;
    }

    private static InstanceOffering offeringOf(ClusterSnapshot snapshot, AddedNode added) {
        return snapshot.offerings().stream()
                .filter(o -> o.instanceType().equals(added.instanceType()) && o.zone().equals(added.zone())
                        && o.capacityType().label().equals(added.capacityType()))
                .findFirst().orElse(null);
    }

    private record Target(Map<String, String> labels, List<Taint> taints, ResourceList allocatable,
            boolean unschedulable, long pricePerHourMicros) {
    }
}
