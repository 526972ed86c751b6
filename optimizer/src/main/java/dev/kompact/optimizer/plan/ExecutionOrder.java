package dev.kompact.optimizer.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a plan out in the order it is carried out, each wave safe on its own:
 * <ol>
 *   <li>provision every added node, first, so that each evicted pod has room to go;</li>
 *   <li>then, per batch of at most {@code maxDisruptedNodes} removed nodes (in name order): taint them (nothing new
 *       lands there), move their pods in the move-wave order {@link WavePlanner} found safe (which keeps each
 *       PodDisruptionBudget within its disruptions per wave), drain what is left, terminate them. Moves off nodes
 *       the plan keeps, and pending pods the plan places, go with the first batch.</li>
 * </ol>
 * Splitting the batches keeps every move after those it waits for: a move needs room only on a kept or added node,
 * and the moves that make room there are off kept nodes, all in the first batch in their wave order.
 */
public final class ExecutionOrder {

    private ExecutionOrder() {}

    public static List<Wave> of(
            List<String> added, List<List<PodMove>> moveWaves, List<String> removed, int maxDisruptedNodes) {
        if (!removed.isEmpty() && maxDisruptedNodes < 1) {
            throw new IllegalArgumentException("the plan removes nodes but the disruption budget allows none");
        }
        List<Wave> waves = new ArrayList<>();
        add(waves, StepAction.Provision, added, List.of());
        List<List<String>> batches = batches(removed.stream().sorted().toList(), maxDisruptedNodes);
        if (batches.isEmpty() && moveWaves.stream().anyMatch(w -> !w.isEmpty())) {
            batches.add(List.of());
        }
        for (int b = 0; b < batches.size(); b++) {
            List<String> batch = batches.get(b);
            boolean first = b == 0;
            add(waves, StepAction.Taint, batch, List.of());
            for (List<PodMove> moveWave : moveWaves) {
                add(
                        waves,
                        StepAction.Move,
                        List.of(),
                        moveWave.stream()
                                .filter(m -> first && (m.from() == null || !removed.contains(m.from()))
                                        || batch.contains(m.from()))
                                .toList());
            }
            add(waves, StepAction.Drain, batch, List.of());
            add(waves, StepAction.Terminate, batch, List.of());
        }
        return waves;
    }

    private static void add(List<Wave> waves, StepAction action, List<String> nodes, List<PodMove> moves) {
        if (!nodes.isEmpty() || !moves.isEmpty()) {
            waves.add(new Wave(waves.size() + 1, action, nodes, moves));
        }
    }

    private static List<List<String>> batches(List<String> nodes, int size) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i += size) {
            batches.add(nodes.subList(i, Math.min(nodes.size(), i + size)));
        }
        return batches;
    }
}
