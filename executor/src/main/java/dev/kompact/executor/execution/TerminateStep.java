package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Gives an emptied node back: records its instance, checks once more that no workload runs on it, terminates the
 * instance and deletes the Node. The check runs again right before termination, also after a restart, so a pod
 * that arrived in between keeps the node alive. On every later look the recorded instance must still be the node's
 * own: a journal edited by hand (or a node re-registered on another instance) must not terminate an instance the
 * node does not run on.
 */
final class TerminateStep implements StepHandler {

    @Override
    public StepResult advance(StepContext context, PlanStep step, StepStatus status) {
        Optional<Node> node = context.cluster.node(step.node);
        if (status.state == StepState.Pending) {
            if (node.isEmpty()) {
                return StepResult.abort(StopReasons.NODE_GONE, "node " + step.node + " no longer exists");
            }
            Optional<StepResult> occupied = occupied(context, step);
            if (occupied.isPresent()) {
                return occupied.get();
            }
            Optional<ProviderId> instance = ProviderId.parse(Nodes.providerId(node.get()));
            if (instance.isEmpty()) {
                return StepResult.fail(
                        StopReasons.NO_INSTANCE,
                        "node " + step.node + " has providerID \""
                                + Nodes.providerId(node.get())
                                + "\", not an AWS instance; it is empty and marked disrupted: remove it"
                                + " by hand");
            }
            status.instanceId = instance.get().instanceId();
            status.providerId = instance.get().toString();
            status.state = StepState.InProgress;
            status.startedAt = context.now().toString();
            return StepResult.CHANGED;
        }
        if (node.isPresent()) {
            Optional<String> nodeInstance =
                    ProviderId.parse(Nodes.providerId(node.get())).map(ProviderId::instanceId);
            if (!nodeInstance.equals(Optional.ofNullable(status.instanceId))) {
                return StepResult.fail(
                        StopReasons.INSTANCE_MISMATCH,
                        "the journal names instance " + status.instanceId
                                + " for node " + step.node + ", which runs on " + nodeInstance.orElse("no AWS instance")
                                + "; nothing is terminated");
            }
            Optional<StepResult> occupied = occupied(context, step);
            if (occupied.isPresent()) {
                return occupied.get();
            }
        }
        context.cloud.terminate(status.instanceId);
        context.cluster.deleteNode(step.node);
        context.listener.nodeTerminated();
        context.planEvent(
                EventReasons.NODE_TERMINATED,
                "terminated " + status.instanceId + " and deleted node " + step.node,
                false);
        return StepResult.done("instance " + status.instanceId + " terminated");
    }

    private static Optional<StepResult> occupied(StepContext context, PlanStep step) {
        Set<String> movedLive = context.liveMigratedPodUids();
        List<Pod> workload = context.cluster.podsOn(step.node).stream()
                .filter(Pods::isWorkload)
                .filter(p -> !movedLive.contains(p.getMetadata().getUid()))
                .toList();
        if (workload.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(StepResult.abort(
                StopReasons.NODE_NOT_EMPTY,
                "node " + step.node + " runs "
                        + workload.stream().map(Pods::key).toList() + " again; it is not terminated"));
    }
}
