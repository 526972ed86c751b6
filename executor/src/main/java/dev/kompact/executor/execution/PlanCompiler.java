package dev.kompact.executor.execution;

import dev.kompact.executor.crd.AlternativeOffering;
import dev.kompact.executor.crd.PdbRecord;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepAction;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.Wave;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Orders an optimizer plan into waves the executor runs one after another, each safe on its own:
 * <ol>
 *   <li>provision every added node, first, so that each evicted pod has room to go; each with the
 *       {@link AcceptableOfferings} it may be bought as if EC2 cannot fill the planned one;</li>
 *   <li>then, per batch of at most {@code maxDisruptedNodes} removed nodes: taint them (nothing new lands there),
 *       move their pods in the optimizer's move-wave order (which keeps each PodDisruptionBudget within its
 *       disruptions per wave), drain what is left, terminate them. Moves off nodes the plan keeps go with the first
 *       batch. Pending pods the plan places need no step: the scheduler places them once the nodes exist.</li>
 * </ol>
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
        if (!plan.nodesRemoved().isEmpty() && maxDisruptedNodes < 1) {
            throw new IllegalArgumentException("the plan removes nodes but the disruption budget allows none");
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

        Counter ids = new Counter();
        if (!plan.nodesAdded().isEmpty()) {
            spec.waves.add(wave(
                    StepAction.Provision,
                    plan.nodesAdded().stream()
                            .map(a -> provision(ids, a, AcceptableOfferings.of(a, plan, snapshot)))
                            .toList()));
        }
        List<PodMove> moves =
                plan.moves().stream().filter(m -> m.from() != null).toList();
        Map<String, Integer> moveWave = new HashMap<>();
        plan.waves().stream()
                .filter(w -> w.kind() == Wave.Kind.MOVE)
                .forEach(w -> w.moves().forEach(m -> moveWave.putIfAbsent(m.pod(), w.index())));
        List<List<String>> batches =
                batches(plan.nodesRemoved().stream().sorted().toList(), spec.maxDisruptedNodes);
        if (batches.isEmpty() && !moves.isEmpty()) {
            batches.add(List.of());
        }
        for (int b = 0; b < batches.size(); b++) {
            List<String> batch = batches.get(b);
            boolean first = b == 0;
            List<PodMove> batchMoves = moves.stream()
                    .filter(m -> batch.contains(m.from())
                            || (first && !plan.nodesRemoved().contains(m.from())))
                    .toList();
            addWave(
                    spec,
                    StepAction.Taint,
                    batch.stream().map(n -> nodeStep(ids, StepAction.Taint, n)).toList());
            Map<Integer, List<PodMove>> byOptimizerWave = new TreeMap<>(batchMoves.stream()
                    .collect(Collectors.groupingBy(m -> moveWave.getOrDefault(m.pod(), Integer.MAX_VALUE))));
            byOptimizerWave
                    .values()
                    .forEach(group -> addWave(
                            spec,
                            StepAction.Move,
                            group.stream().map(m -> move(ids, m)).toList()));
            addWave(
                    spec,
                    StepAction.Drain,
                    batch.stream().map(n -> nodeStep(ids, StepAction.Drain, n)).toList());
            addWave(
                    spec,
                    StepAction.Terminate,
                    batch.stream()
                            .map(n -> nodeStep(ids, StepAction.Terminate, n))
                            .toList());
        }
        spec.podDisruptionBudgets = budgetsCovering(moves, snapshot);
        return spec;
    }

    private static List<List<String>> batches(List<String> nodes, int size) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i += size) {
            batches.add(nodes.subList(i, Math.min(nodes.size(), i + size)));
        }
        return batches;
    }

    private static List<PdbRecord> budgetsCovering(List<PodMove> moves, ClusterSnapshot snapshot) {
        Map<String, Pod> pods = snapshot.pods().stream().collect(Collectors.toMap(Pod::key, Function.identity()));
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

    private static void addWave(PlanSpec spec, StepAction action, List<PlanStep> steps) {
        if (!steps.isEmpty()) {
            spec.waves.add(wave(action, steps));
        }
    }

    private static dev.kompact.executor.crd.Wave wave(StepAction action, List<PlanStep> steps) {
        var wave = new dev.kompact.executor.crd.Wave();
        wave.action = action;
        wave.steps = new ArrayList<>(steps);
        return wave;
    }

    private static PlanStep provision(Counter ids, AddedNode added, List<AlternativeOffering> alternatives) {
        PlanStep step = nodeStep(ids, StepAction.Provision, added.name());
        step.instanceType = added.instanceType();
        step.zone = added.zone();
        step.capacityType = added.capacityType();
        step.alternatives = alternatives.isEmpty() ? null : alternatives;
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
        step.pod = move.pod();
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
