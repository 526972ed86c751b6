package dev.kompact.executor.execution;

import dev.kompact.executor.cluster.EvictionResult;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evicts what is left on a node after the plan's moves: pods that arrived since the plan was made and tolerate
 * the disruption taint. It starts by cordoning the node, so that a pod tolerating only the taint lands no more.
 * DaemonSet and mirror pods stay (they go with the node); a pod that may not be disrupted stops the plan and keeps
 * the node. So does a pod created after the drain began: it tolerates the cordon and the taint, or names the node
 * itself, so its replacement would land here again and the drain would evict forever. At most
 * {@code maxConcurrentMigrations} pods are terminating at once, and the drain waits for the largest
 * {@code terminationGracePeriodSeconds} plus {@link ExecutorSettings#drainGrace()}.
 */
final class DrainStep implements StepHandler {

    private static final long DEFAULT_GRACE_SECONDS = 30;

    @Override
    public StepResult advance(StepContext context, PlanStep step, StepStatus status) {
        if (context.cluster.node(step.node).isEmpty()) {
            return StepResult.abort(StopReasons.NODE_GONE, "node " + step.node + " no longer exists");
        }
        if (status.state == StepState.Pending) {
            context.cluster.cordon(step.node);
            status.state = StepState.InProgress;
            status.startedAt = context.now().toString();
            return StepResult.CHANGED;
        }
        Set<String> movedLive = context.liveMigratedPodUids();
        List<Pod> left = context.cluster.podsOn(step.node).stream()
                .filter(Pods::isWorkload)
                .filter(p -> !movedLive.contains(p.getMetadata().getUid()))
                .toList();
        if (left.isEmpty()) {
            context.cluster.recordEvent(
                    StepContext.nodeReference(step.node),
                    EventReasons.NODE_DRAINED,
                    "drained by plan " + context.planName(),
                    false);
            return StepResult.done("node " + step.node + " runs no workload");
        }
        Optional<Pod> back =
                left.stream().filter(p -> createdAfter(p, status.startedAt)).findFirst();
        if (back.isPresent()) {
            context.cluster.recordEvent(
                    StepContext.podReference(back.get()),
                    StopReasons.POD_SCHEDULED_BACK,
                    "created after plan " + context.planName() + " began draining " + step.node
                            + ", and bound to it despite its cordon and taint: not evicted, since its replacement would"
                            + " land there again; the node is kept",
                    true);
            return StepResult.abort(
                    StopReasons.POD_SCHEDULED_BACK,
                    "pod " + Pods.key(back.get()) + " landed on node " + step.node + " after its drain began; it"
                            + " tolerates the cordon and the disruption taint or names the node, so the node is kept");
        }
        Optional<Pod> pinned = left.stream().filter(Pods::mustNotBeDisrupted).findFirst();
        if (pinned.isPresent()) {
            return StepResult.abort(
                    StopReasons.POD_NOT_DISRUPTABLE,
                    "pod " + Pods.key(pinned.get()) + " on node " + step.node
                            + " may not be disrupted (see MobilityRules); the node is kept");
        }
        long graceSeconds = left.stream()
                .mapToLong(p -> p.getSpec().getTerminationGracePeriodSeconds() == null
                        ? DEFAULT_GRACE_SECONDS
                        : p.getSpec().getTerminationGracePeriodSeconds())
                .max()
                .orElse(DEFAULT_GRACE_SECONDS);
        Duration limit = context.settings.drainGrace().plusSeconds(graceSeconds);
        if (context.isPast(status.startedAt, limit)) {
            return StepResult.fail(
                    StopReasons.DRAIN_TIMED_OUT,
                    "node " + step.node + " still runs "
                            + left.stream().map(Pods::key).toList() + " after " + limit + "; the node is kept");
        }
        if (context.isBefore(status.retryAt)) {
            return StepResult.WAIT;
        }
        long terminating = left.stream().filter(Pods::isTerminating).count();
        long room = context.pressedByDeadline()
                ? Long.MAX_VALUE
                : context.plan().getSpec().maxConcurrentMigrations - terminating;
        boolean changed = false;
        for (Pod pod : left) {
            if (room <= 0) {
                break;
            }
            if (Pods.isTerminating(pod)) {
                continue;
            }
            EvictionResult result = context.cluster.evict(
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid());
            if (result == EvictionResult.BLOCKED_BY_BUDGET) {
                status.attempts = status.attempts == null ? 1 : status.attempts + 1;
                status.retryAt = context.now()
                        .plus(context.settings.backoff(status.attempts))
                        .toString();
                return StepResult.CHANGED;
            }
            if (result == EvictionResult.EVICTED) {
                context.cluster.recordEvent(
                        StepContext.podReference(pod),
                        EventReasons.POD_EVICTED,
                        "evicted from " + step.node + " while draining it for plan " + context.planName(),
                        false);
            }
            room--;
            changed = true;
        }
        return changed ? StepResult.CHANGED : StepResult.WAIT;
    }

    private static boolean createdAfter(Pod pod, String instant) {
        String created = pod.getMetadata().getCreationTimestamp();
        return created != null && instant != null && Instant.parse(created).isAfter(Instant.parse(instant));
    }
}
