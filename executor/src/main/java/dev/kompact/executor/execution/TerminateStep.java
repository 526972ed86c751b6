package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Gives an emptied node back.
 *
 * <ol>
 *   <li>First look: the node runs no workload; the cloud agrees the node's instance is this cluster's to give back
 *       (on EC2 a DescribeInstances, done here so that it is not between the last look and the termination); the
 *       node is tainted {@code NoExecute}, so that a pod bound to it from now on without tolerating that is evicted
 *       by Kubernetes, or refused by the kubelet; the instance is recorded.</li>
 *   <li>Next look, also after a restart: the recorded instance is still the node's own (a journal edited by hand, or
 *       a node re-registered on another instance, must not terminate an instance the node does not run on), and the
 *       node still runs no workload: a pod that arrived keeps the node alive. Then only TerminateInstances.</li>
 *   <li>The node's pods are listed again: one that landed after the last look (it tolerates every taint, or was
 *       created naming the node) went down with the instance, and is reported by a Warning Event on it and on the
 *       plan. The Node is deleted.</li>
 * </ol>
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
            context.cloud.checkTerminable(instance.get().instanceId());
            context.cluster.addTaint(
                    step.node,
                    new TaintBuilder()
                            .withKey(KompactApi.DISRUPTED_TAINT)
                            .withEffect("NoExecute")
                            .build());
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
        List<Pod> caught = node.isPresent() ? workload(context, step) : List.of();
        for (Pod pod : caught) {
            context.cluster.recordEvent(
                    StepContext.podReference(pod),
                    EventReasons.POD_CAUGHT,
                    "landed on node " + step.node + " after plan " + context.planName()
                            + " last found it empty, and went down with its instance " + status.instanceId,
                    true);
        }
        if (!caught.isEmpty()) {
            context.planEvent(
                    EventReasons.POD_CAUGHT,
                    "pods " + caught.stream().map(Pods::key).toList() + " landed on node " + step.node
                            + " between its last check and its termination",
                    true);
        }
        context.cluster.deleteNode(step.node);
        context.listener.nodeTerminated();
        context.planEvent(
                EventReasons.NODE_TERMINATED,
                "terminated " + status.instanceId + " and deleted node " + step.node,
                false);
        return StepResult.done("instance " + status.instanceId + " terminated"
                + (caught.isEmpty()
                        ? ""
                        : "; caught on it: " + caught.stream().map(Pods::key).toList()));
    }

    private static List<Pod> workload(StepContext context, PlanStep step) {
        Set<String> movedLive = context.liveMigratedPodUids();
        return context.cluster.podsOn(step.node).stream()
                .filter(Pods::isWorkload)
                .filter(p -> !movedLive.contains(p.getMetadata().getUid()))
                .toList();
    }

    private static Optional<StepResult> occupied(StepContext context, PlanStep step) {
        List<Pod> workload = workload(context, step);
        if (workload.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(StepResult.abort(
                StopReasons.NODE_NOT_EMPTY,
                "node " + step.node + " runs "
                        + workload.stream().map(Pods::key).toList() + " again; it is not terminated"));
    }
}
