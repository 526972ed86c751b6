package dev.kompact.executor.execution;

import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Optional;

/**
 * Marks a node the plan empties with {@code kompact.dev/disrupted:NoSchedule}, so that no evicted pod is scheduled
 * back onto it. The node disruption budget is checked against every node so marked, by any plan, except for an
 * evacuation: its node goes away with or without it, so it takes no budget and is never refused for want of one
 * (the ordinary plan holding the budget is paused meanwhile, see PlanningRound).
 */
final class TaintStep implements StepHandler {

    @Override
    public StepResult advance(StepContext context, PlanStep step, StepStatus status) {
        Optional<Node> node = context.cluster.node(step.node);
        if (node.isEmpty()) {
            return StepResult.abort(StopReasons.NODE_GONE, "node " + step.node + " no longer exists");
        }
        if (Nodes.hasTaint(node.get(), KompactApi.DISRUPTED_TAINT)) {
            return StepResult.done("node " + step.node + " is marked disrupted");
        }
        if (Nodes.isCordoned(node.get()) && !Nodes.isCordonedByKompact(node.get())) {
            return StepResult.abort(
                    StopReasons.NODE_CORDONED,
                    "node " + step.node + " was cordoned by someone else after the plan was made; leaving it to them");
        }
        List<String> disrupted = context.cluster.nodes().stream()
                .filter(n -> Nodes.hasTaint(n, KompactApi.DISRUPTED_TAINT))
                .map(n -> n.getMetadata().getName())
                .toList();
        int budget = context.plan().getSpec().maxDisruptedNodes;
        boolean evacuation = step.node.equals(context.plan().getSpec().evacuatedNode);
        if (!evacuation && disrupted.size() + 1 > budget) {
            return StepResult.abort(
                    StopReasons.NODE_BUDGET,
                    "the node disruption budget allows " + budget + " node(s) at once and " + disrupted
                            + " are already disrupted");
        }
        context.cluster.addTaint(
                step.node,
                new TaintBuilder()
                        .withKey(KompactApi.DISRUPTED_TAINT)
                        .withEffect("NoSchedule")
                        .build());
        context.cluster.recordEvent(
                StepContext.nodeReference(step.node),
                EventReasons.NODE_DISRUPTED,
                "marked " + KompactApi.DISRUPTED_TAINT + ":NoSchedule by plan " + context.planName(),
                false);
        return StepResult.done("node " + step.node + " is marked disrupted");
    }
}
