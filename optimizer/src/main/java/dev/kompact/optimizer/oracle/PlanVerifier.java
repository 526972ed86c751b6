package dev.kompact.optimizer.oracle;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.DisruptionBudgets;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.StepAction;
import dev.kompact.optimizer.plan.Wave;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Re-checks a finished plan against the snapshot it was made from, apart from the solver so that the two cannot
 * share a mistake. It replays the plan's waves on a {@link ClusterState}: added nodes must come from an offering;
 * every moved pod must be movable, start where the snapshot has it, and be admitted by the scheduler's rules where
 * it lands, in the order the waves give; restarts in one wave stay within every PodDisruptionBudget; removed nodes
 * must exist, not be kept, and be empty of all but DaemonSet and mirror pods; pending pods are placed or reported;
 * costs add up; with a hard headroom, no node a pod moves onto ends with less CPU or memory free than it keeps, or,
 * cluster-wide, the remaining nodes together keep it unless the plan leaves them no less free than before. An empty
 * list means valid.
 */
public final class PlanVerifier {

    public List<String> verify(ClusterSnapshot snapshot, RebalancePlan plan) {
        return verify(snapshot, plan, Headroom.NONE);
    }

    public List<String> verify(ClusterSnapshot snapshot, RebalancePlan plan, Headroom headroom) {
        List<String> violations = new ArrayList<>();
        ClusterState state = new ClusterState(snapshot);
        Map<PodKey, Pod> pods = new HashMap<>();
        snapshot.pods().forEach(p -> pods.put(p.key(), p));

        List<Wave> waves = plan.waves() == null || plan.waves().isEmpty() ? inListedOrder(plan) : plan.waves();
        checkWavesCoverPlan(plan, waves, violations);
        Set<PodKey> moved = new HashSet<>();
        DisruptionBudgets budgets = new DisruptionBudgets(snapshot.podDisruptionBudgets());
        for (Wave wave : waves) {
            switch (wave.action()) {
                case Provision -> wave.nodes().forEach(name -> addNode(snapshot, plan, state, name, violations));
                // no move lands on a removed node, so its taint and drain change nothing; Terminate checks it is empty
                case Taint, Drain -> {}
                case Move -> {
                    Map<PodDisruptionBudget, Integer> restarts = new HashMap<>();
                    for (PodMove move : wave.moves()) {
                        Pod pod = pods.get(move.pod());
                        if (pod == null) {
                            violations.add("move of " + move.pod() + ": no such pod");
                        } else if (!moved.add(pod.key())) {
                            violations.add("pod " + pod.key() + " is moved twice");
                        } else {
                            move(snapshot, budgets, state, pod, move, wave.index(), restarts, violations);
                        }
                    }
                }
                case Terminate -> wave.nodes().forEach(name -> removeNode(state, name, violations));
            }
        }

        Set<PodKey> unplaced = new HashSet<>(plan.unplacedPods());
        for (Pod pod : snapshot.pods()) {
            if (pod.isPending() && !moved.contains(pod.key()) && !unplaced.contains(pod.key())) {
                violations.add("pending pod " + pod.key() + " is neither placed nor reported unplaced");
            }
            if (!pod.isPending() && unplaced.contains(pod.key())) {
                violations.add("running pod " + pod.key() + " is reported unplaced");
            }
        }
        long before =
                snapshot.nodes().stream().mapToLong(Node::pricePerHourMicros).sum();
        if (plan.costBefore().microsPerHour() != before) {
            violations.add("costBefore is " + plan.costBefore().perHour() + " but the nodes cost " + before + " µ$/h");
        }
        if (plan.costAfter().microsPerHour() != state.costPerHourMicros()) {
            violations.add("costAfter is " + plan.costAfter().perHour() + " but the kept and added nodes cost "
                    + state.costPerHourMicros() + " µ$/h");
        }
        if (headroom.hard() && headroom.clusterWide()) {
            checkClusterHeadroom(new ClusterState(snapshot), state, headroom, violations);
        } else if (headroom.hard()) {
            plan.moves().stream()
                    .map(PodMove::to)
                    .distinct()
                    .forEach(node -> checkHeadroom(state, node, headroom, violations));
        }
        return violations;
    }

    private static void checkClusterHeadroom(
            ClusterState before, ClusterState after, Headroom headroom, List<String> violations) {
        for (String resource : List.of(ResourceNames.CPU, ResourceNames.MEMORY)) {
            double share = headroom.share(resource);
            double freeAfter = freeShare(after, resource);
            double freeBefore = freeShare(before, resource);
            if (freeAfter < share - 1e-9 && freeAfter < freeBefore - 1e-9) {
                violations.add(String.format(
                        Locale.ROOT,
                        "the remaining nodes end with %.1f%% of their %s free, less than the %.1f%% the hard"
                                + " cluster-wide headroom keeps and less than the %.1f%% before the plan",
                        freeAfter * 100,
                        resource,
                        share * 100,
                        freeBefore * 100));
            }
        }
    }

    private static double freeShare(ClusterState state, String resource) {
        long allocatable = 0;
        long requested = 0;
        for (Node node : state.nodes()) {
            allocatable += node.allocatable().get(resource);
            requested += state.requested(node.name()).get(resource);
        }
        return allocatable == 0 ? 0 : (double) (allocatable - requested) / allocatable;
    }

    private static void checkHeadroom(ClusterState state, String nodeName, Headroom headroom, List<String> violations) {
        Optional<Node> node = state.node(nodeName);
        if (node.isEmpty()) {
            return;
        }
        ResourceList requested = state.requested(nodeName);
        for (String resource : List.of(ResourceNames.CPU, ResourceNames.MEMORY)) {
            long allocatable = node.get().allocatable().get(resource);
            double share = headroom.share(resource);
            long kept = Math.round(allocatable * share);
            if (allocatable - requested.get(resource) < kept) {
                violations.add("node " + nodeName + " ends with " + (allocatable - requested.get(resource)) + " of "
                        + allocatable + " " + resource + " free, less than the " + kept + " the hard headroom keeps");
            }
        }
    }

    private static void move(
            ClusterSnapshot snapshot,
            DisruptionBudgets budgets,
            ClusterState state,
            Pod pod,
            PodMove move,
            int wave,
            Map<PodDisruptionBudget, Integer> restarts,
            List<String> violations) {
        if (!Objects.equals(move.from(), pod.nodeName())) {
            violations.add(
                    "move of " + pod.key() + " starts from " + move.from() + " but the pod is on " + pod.nodeName());
        }
        if (pod.nodeName() != null
                && MobilityRules.classify(pod, state.node(pod.nodeName()).orElse(null)) == Mobility.PINNED) {
            violations.add("pod " + pod.key() + " is pinned to " + pod.nodeName() + " but the plan moves it");
        }
        if (pod.nodeName() != null && move.mobility() == Mobility.RESTART) {
            for (PodDisruptionBudget budget : budgets.covering(pod)) {
                if (restarts.merge(budget, 1, Integer::sum) > budget.disruptionsAllowed()) {
                    violations.add("wave " + wave + ": restarting " + pod.key() + " exceeds PodDisruptionBudget "
                            + budget.namespace() + "/" + budget.name() + " (" + budget.disruptionsAllowed()
                            + " allowed)");
                }
            }
        }
        if (state.node(move.to()).isEmpty()) {
            violations.add("pod " + pod.key() + " moves to " + move.to() + ", which the plan does not keep");
            return;
        }
        Optional<String> why = state.whyNot(pod, move.to());
        why.ifPresent(
                reason -> violations.add("wave " + wave + ": pod " + pod.key() + " on " + move.to() + ": " + reason));
        state.place(pod, move.to());
    }

    private static void addNode(
            ClusterSnapshot snapshot, RebalancePlan plan, ClusterState state, String name, List<String> violations) {
        AddedNode added = plan.nodesAdded().stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElse(null);
        InstanceOffering offering = added == null
                ? null
                : snapshot.offerings().stream()
                        .filter(o -> o.instanceType().equals(added.instanceType())
                                && o.zone().equals(added.zone())
                                && o.capacityType() == added.capacityType())
                        .findFirst()
                        .orElse(null);
        if (offering == null) {
            violations.add("added node " + name + ": no offering "
                    + (added == null
                            ? "listed"
                            : added.instanceType() + " " + added.zone() + " " + added.capacityType())
                    + " in the snapshot");
        } else if (state.node(name).isPresent()) {
            violations.add("added node " + name + " has the name of another node");
        } else {
            state.addNode(name, offering);
        }
    }

    private static void removeNode(ClusterState state, String name, List<String> violations) {
        Optional<Node> node = state.node(name);
        if (node.isEmpty()) {
            violations.add("removed node " + name + " is not in the snapshot");
            return;
        }
        if (MobilityRules.isKept(node.get())) {
            violations.add("removed node " + name + " is marked to be kept");
        }
        List<Pod> left =
                state.podsOn(name).stream().filter(p -> !p.isNodeBound()).toList();
        if (!left.isEmpty()) {
            left.forEach(p -> violations.add("removed node " + name + " still holds pod " + p.key()));
            return;
        }
        state.removeNode(name);
    }

    /** A plan without waves is read as one provisioning wave, one wave of every move, and one removal wave. */
    private static List<Wave> inListedOrder(RebalancePlan plan) {
        return List.of(
                new Wave(
                        1,
                        StepAction.Provision,
                        plan.nodesAdded().stream().map(AddedNode::name).toList(),
                        List.of()),
                new Wave(2, StepAction.Taint, plan.nodesRemoved(), List.of()),
                new Wave(3, StepAction.Move, List.of(), plan.moves()),
                new Wave(4, StepAction.Drain, plan.nodesRemoved(), List.of()),
                new Wave(5, StepAction.Terminate, plan.nodesRemoved(), List.of()));
    }

    private static void checkWavesCoverPlan(RebalancePlan plan, List<Wave> waves, List<String> violations) {
        Set<PodMove> inWaves = new HashSet<>();
        Map<StepAction, Set<String>> nodes = new EnumMap<>(StepAction.class);
        for (StepAction action : StepAction.values()) {
            nodes.put(action, new HashSet<>());
        }
        for (Wave wave : waves) {
            inWaves.addAll(wave.moves());
            nodes.get(wave.action()).addAll(wave.nodes());
        }
        if (!inWaves.equals(new HashSet<>(plan.moves()))) {
            violations.add("the waves do not hold exactly the plan's moves");
        }
        Set<String> removed = new HashSet<>(plan.nodesRemoved());
        for (StepAction action : List.of(StepAction.Taint, StepAction.Drain, StepAction.Terminate)) {
            if (!nodes.get(action).equals(removed)) {
                violations.add("the " + action + " waves do not hold exactly the plan's removed nodes");
            }
        }
        if (!nodes.get(StepAction.Provision)
                .equals(new HashSet<>(
                        plan.nodesAdded().stream().map(AddedNode::name).toList()))) {
            violations.add("the waves do not add exactly the plan's added nodes");
        }
    }
}
