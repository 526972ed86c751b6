package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.DisruptionBudgets;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders a plan into waves that are each safe on their own, the one place that decides the order a plan runs in:
 * <ol>
 *   <li>with every added node bought, order the moves wave by wave: a move joins a wave only if the scheduler would admit the pod on its target in the
 *       cluster as the moves before it left it, and only while every PodDisruptionBudget covering a restarted pod
 *       has disruptions left in this wave (budgets refill between waves, as pods become ready again); pending pods
 *       being placed go first, since they disrupt nothing;</li>
 *   <li>lay the move waves out with the nodes to buy and to remove, batch by batch: {@link ExecutionOrder}.</li>
 * </ol>
 * Moves that no order admits (a swap between full nodes, pods trading zones under a spread constraint) are
 * returned apart: the plan is not safe to carry out until they are taken back.
 */
final class WavePlanner {

    /** {@code unordered}: the moves no order admits, each with the scheduler's reason. */
    record Result(List<Wave> waves, Map<PodMove, String> unordered) {}

    private final ClusterSnapshot snapshot;

    WavePlanner(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    Result order(
            List<AddedNode> added,
            List<PodMove> moves,
            List<String> removed,
            Map<String, InstanceOffering> offeringOfAdded,
            int maxDisruptedNodes) {
        ClusterState state = new ClusterState(snapshot);
        Map<PodKey, Pod> pods = new HashMap<>();
        snapshot.pods().forEach(p -> pods.put(p.key(), p));
        List<List<PodMove>> moveWaves = new ArrayList<>();
        added.forEach(n -> state.addNode(n.name(), offeringOfAdded.get(n.name())));
        DisruptionBudgets budgetsOf = new DisruptionBudgets(snapshot.podDisruptionBudgets());
        Map<PodMove, List<PodDisruptionBudget>> restartBudgets = new HashMap<>();
        for (PodMove move : moves) {
            restartBudgets.put(
                    move,
                    move.from() != null && move.mobility() == Mobility.RESTART
                            ? budgetsOf.covering(pods.get(move.pod()))
                            : List.of());
        }
        List<PodMove> remaining = new ArrayList<>(moves);
        remaining.sort((a, b) -> Boolean.compare(a.from() != null, b.from() != null));
        while (!remaining.isEmpty()) {
            Map<PodDisruptionBudget, Integer> budgetLeft = new HashMap<>();
            snapshot.podDisruptionBudgets().forEach(b -> budgetLeft.put(b, b.disruptionsAllowed()));
            List<PodMove> wave = new ArrayList<>();
            List<PodMove> later = new ArrayList<>();
            for (PodMove move : remaining) {
                Pod pod = pods.get(move.pod());
                List<PodDisruptionBudget> budgets = restartBudgets.get(move);
                if (budgets.stream().anyMatch(b -> budgetLeft.get(b) <= 0)
                        || state.whyNot(pod, move.to()).isPresent()) {
                    later.add(move);
                    continue;
                }
                budgets.forEach(b -> budgetLeft.merge(b, -1, Integer::sum));
                state.place(pod, move.to());
                wave.add(move);
            }
            remaining = later;
            if (wave.isEmpty()) {
                break;
            }
            moveWaves.add(wave);
        }
        List<Wave> waves =
                ExecutionOrder.of(added.stream().map(AddedNode::name).toList(), moveWaves, removed, maxDisruptedNodes);
        Map<PodMove, String> unordered = new LinkedHashMap<>();
        remaining.forEach(m ->
                unordered.put(m, state.whyNot(pods.get(m.pod()), m.to()).orElse("disruption budget exhausted")));
        return new Result(waves, unordered);
    }
}
