package dev.kompact.executor.execution;

import dev.kompact.executor.crd.AlternativeOffering;
import dev.kompact.executor.crd.PdbRecord;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.StepAction;
import dev.kompact.optimizer.plan.Wave;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes an optimizer plan as the RebalancePlan resource's spec: one resource wave per plan wave, in the plan's
 * order (the optimizer's {@code ExecutionOrder} decides it; nothing is reordered here), one step with a readable id
 * per node or move. Each Provision step carries the alternatives the optimizer found the node may be bought as if
 * EC2 cannot fill the planned one. A pending pod the plan places needs no step: the scheduler places it once the
 * nodes exist.
 */
public final class PlanCompiler {

    private PlanCompiler() {}

    public static PlanSpec compile(
            RebalancePlan plan,
            ClusterSnapshot snapshot,
            String policy,
            boolean execute,
            int maxConcurrentMigrations,
            int maxDisruptedNodes) {
        int disruptedAtOnce = plan.waves().stream()
                .filter(w -> w.action() == StepAction.Taint)
                .mapToInt(w -> w.nodes().size())
                .max()
                .orElse(0);
        if (disruptedAtOnce > Math.max(0, maxDisruptedNodes)) {
            throw new IllegalArgumentException("the plan disrupts " + disruptedAtOnce
                    + " node(s) at once but the disruption budget allows " + Math.max(0, maxDisruptedNodes));
        }
        PlanSpec spec = new PlanSpec();
        spec.cluster = plan.cluster();
        spec.policy = policy;
        spec.execute = execute;
        spec.costBeforePerHour = plan.costBefore().perHour().toPlainString();
        spec.costAfterPerHour = plan.costAfter().perHour().toPlainString();
        spec.savings = "$" + plan.savings().cost().perHour().toPlainString() + "/h ("
                + plan.savings().percent() + "%)";
        spec.maxConcurrentMigrations = Math.max(1, maxConcurrentMigrations);
        spec.maxDisruptedNodes = Math.max(1, maxDisruptedNodes);

        Map<String, AddedNode> added =
                plan.nodesAdded().stream().collect(Collectors.toMap(AddedNode::name, Function.identity()));
        List<PodMove> moves =
                plan.moves().stream().filter(m -> m.from() != null).toList();
        Counter ids = new Counter();
        for (Wave wave : plan.waves()) {
            List<PlanStep> steps = new ArrayList<>();
            for (String node : wave.nodes()) {
                steps.add(
                        wave.action() == StepAction.Provision
                                ? provision(ids, added.get(node))
                                : nodeStep(ids, wave.action(), node));
            }
            wave.moves().stream().filter(m -> m.from() != null).forEach(m -> steps.add(move(ids, m)));
            if (!steps.isEmpty()) {
                spec.waves.add(wave(wave.action(), steps));
            }
        }
        spec.podDisruptionBudgets = budgetsCovering(moves, snapshot);
        return spec;
    }

    private static List<PdbRecord> budgetsCovering(List<PodMove> moves, ClusterSnapshot snapshot) {
        Map<PodKey, Pod> pods = snapshot.pods().stream().collect(Collectors.toMap(Pod::key, Function.identity()));
        Map<String, PdbRecord> covering = new LinkedHashMap<>();
        for (PodMove move : moves) {
            Pod pod = pods.get(move.pod());
            for (PodDisruptionBudget pdb : snapshot.podDisruptionBudgets()) {
                if (pod != null && pdb.covers(pod)) {
                    PdbRecord record = new PdbRecord();
                    record.namespace = pdb.namespace();
                    record.name = pdb.name();
                    record.minAvailable = pdb.minAvailable();
                    record.maxUnavailable = pdb.maxUnavailable();
                    covering.putIfAbsent(pdb.namespace() + "/" + pdb.name(), record);
                }
            }
        }
        return new ArrayList<>(covering.values());
    }

    private static dev.kompact.executor.crd.Wave wave(StepAction action, List<PlanStep> steps) {
        var wave = new dev.kompact.executor.crd.Wave();
        wave.action = action;
        wave.steps = new ArrayList<>(steps);
        return wave;
    }

    private static PlanStep provision(Counter ids, AddedNode added) {
        PlanStep step = nodeStep(ids, StepAction.Provision, added.name());
        step.instanceType = added.instanceType();
        step.zone = added.zone();
        step.capacityType = added.capacityType().label();
        step.alternatives = added.alternatives().isEmpty()
                ? null
                : added.alternatives().stream()
                        .map(a -> new AlternativeOffering(a.instanceType(), a.zone()))
                        .toList();
        return step;
    }

    private static PlanStep nodeStep(Counter ids, StepAction action, String node) {
        PlanStep step = new PlanStep();
        step.id = ids.next(action);
        step.action = action;
        step.node = node;
        return step;
    }

    private static PlanStep move(Counter ids, PodMove move) {
        PlanStep step = new PlanStep();
        step.id = ids.next(StepAction.Move);
        step.action = StepAction.Move;
        step.pod = move.pod().toString();
        step.from = move.from();
        step.to = move.to();
        step.mobility = move.mobility();
        return step;
    }

    /** Step ids readable in {@code kubectl describe}: provision-1, move-3, terminate-2. */
    private static final class Counter {
        private final Map<StepAction, Integer> next = new LinkedHashMap<>();

        String next(StepAction action) {
            int n = next.merge(action, 1, Integer::sum);
            return action.name().toLowerCase() + "-" + n;
        }
    }
}
