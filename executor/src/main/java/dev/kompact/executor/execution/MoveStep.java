package dev.kompact.executor.execution;

import static dev.kompact.executor.execution.ExecutionListener.METHOD_EVICTION;

import dev.kompact.executor.cluster.EvictionResult;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.HandoffPhase;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Moves one pod off its node.
 *
 * <ol>
 *   <li>Validate against the live cluster: the pod exists, is still on the plan's source node, may be disrupted,
 *       and its PodDisruptionBudgets are those the plan was made with. Record its UID and how many pods of its
 *       controller are Ready (the count its replacement must restore) before touching it.</li>
 *   <li>LIVE with a {@code Migrator}, unless an evacuation's deadline is too near for a migration, and when the pod
 *       ({@link LiveEligibility}) and both nodes' agents allow it: hand the pod off to a target pod
 *       ({@link PodHandoff}); committed is done, rolled back or rejected falls back to eviction, failed stops the plan
 *       (an operator must look).</li>
 *   <li>Otherwise evict through the Eviction API. A refusal (429, a budget allows no disruption now) is retried
 *       with back-off until {@link ExecutorSettings#evictionGiveUp()}; the budget is re-checked before each try.</li>
 *   <li>Wait until the controller has as many Ready pods as before, not counting the evicted one, within
 *       {@link ExecutorSettings#replacementReady()}.</li>
 * </ol>
 *
 * Kept: the pod is touched only after its UID and replacement target are persisted, so a restarted executor tells
 * its own eviction from someone else's deletion; the eviction honours PodDisruptionBudgets (the API server checks
 * them), and the move counts as in flight, against {@code maxConcurrentMigrations}, until the replacement is Ready.
 */
final class MoveStep implements StepHandler {

    private final PodHandoff handoff = new PodHandoff();

    @Override
    public StepResult advance(StepContext context, PlanStep step, StepStatus status) {
        PodKey key = PodKey.parse(step.pod);
        String namespace = key.namespace();
        String name = key.name();
        if (status.state == StepState.Pending) {
            return start(context, step, status, namespace, name);
        }
        if (status.handoff != null) {
            return handoff.advance(context, step, status);
        }
        if (status.evictedAt != null) {
            return awaitReplacement(context, step, status, namespace);
        }
        Optional<Pod> pod = context.cluster
                .pod(namespace, name)
                .filter(p -> status.podUid.equals(p.getMetadata().getUid()));
        if (pod.isEmpty()) {
            // our eviction went through before a crash, or the pod was deleted meanwhile: either way it needs replacing
            status.evictedAt = context.now().toString();
            return StepResult.CHANGED;
        }
        return evict(context, step, status, pod.get());
    }

    private StepResult start(StepContext context, PlanStep step, StepStatus status, String namespace, String name) {
        Optional<Pod> found = context.cluster.pod(namespace, name);
        if (found.isEmpty() || Pods.isTerminating(found.get())) {
            return StepResult.abort(
                    StopReasons.POD_GONE, "pod " + step.pod + " is gone or being deleted since the plan" + " was made");
        }
        Pod pod = found.get();
        if (!step.from.equals(pod.getSpec().getNodeName())) {
            return StepResult.abort(
                    StopReasons.POD_MOVED,
                    "pod " + step.pod + " runs on " + pod.getSpec().getNodeName() + ", not on " + step.from
                            + " as when the plan was made");
        }
        Optional<StepResult> refused = notDisruptable(step, pod).or(() -> budgetDrift(context, pod));
        if (refused.isPresent()) {
            return refused.get();
        }
        status.podUid = pod.getMetadata().getUid();
        // a bare pod may go when it says it is safe to evict; nothing replaces it, so there is nothing to wait for
        status.ownerUid = Pods.controller(pod).map(o -> o.getUid()).orElse(null);
        status.readyBefore = readyPodsOf(context, namespace, status.ownerUid, null);
        status.state = StepState.InProgress;
        status.startedAt = context.now().toString();
        status.attempts = 0;
        if (step.mobility == Mobility.LIVE && context.migrator.isPresent()) {
            startHandoff(context, step, status, pod);
        }
        return StepResult.CHANGED;
    }

    private static void startHandoff(StepContext context, PlanStep step, StepStatus status, Pod pod) {
        if (context.pressedByDeadline()) {
            status.message = "the deadline " + context.plan().getSpec().deadline + " is near: evicting instead of"
                    + " migrating live";
            return;
        }
        Optional<String> refused = LiveEligibility.refusal(pod)
                .or(() -> context.migrator.orElseThrow().refusal(step.from, context.nodeName(step.to)));
        if (refused.isPresent()) {
            status.message = "not moved live: " + refused.get() + "; evicting instead";
            return;
        }
        status.migrationId = context.planName() + "-" + step.id;
        status.targetPod = TargetPods.name(pod.getMetadata().getName(), status.migrationId);
        status.handoff = HandoffPhase.Target;
    }

    private StepResult evict(StepContext context, PlanStep step, StepStatus status, Pod pod) {
        if (context.isBefore(status.retryAt)) {
            return StepResult.WAIT;
        }
        // asked again before every try: an annotation added while a budget kept refusing counts
        Optional<StepResult> refused = notDisruptable(step, pod).or(() -> budgetDrift(context, pod));
        if (refused.isPresent()) {
            return refused.get();
        }
        EvictionResult result = context.cluster.evict(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid());
        if (result == EvictionResult.BLOCKED_BY_BUDGET) {
            status.attempts = status.attempts == null ? 1 : status.attempts + 1;
            if (context.isPast(status.startedAt, context.settings.evictionGiveUp())) {
                context.listener.podMoved(
                        METHOD_EVICTION, "blocked", Duration.between(Instant.parse(status.startedAt), context.now()));
                return StepResult.fail(
                        StopReasons.EVICTION_BLOCKED,
                        "a PodDisruptionBudget refused to let " + step.pod
                                + " go " + status.attempts + " times over " + context.settings.evictionGiveUp()
                                + "; check that its controller's other pods are Ready");
            }
            status.retryAt = context.now()
                    .plus(context.settings.backoff(status.attempts))
                    .toString();
            return StepResult.CHANGED;
        }
        status.evictedAt = context.now().toString();
        context.cluster.recordEvent(
                StepContext.podReference(pod),
                EventReasons.POD_EVICTED,
                "evicted from " + step.from + " by plan " + context.planName(),
                false);
        return StepResult.CHANGED;
    }

    private StepResult awaitReplacement(StepContext context, PlanStep step, StepStatus status, String namespace) {
        int ready = readyPodsOf(context, namespace, status.ownerUid, status.podUid);
        if (ready >= status.readyBefore) {
            context.listener.podMoved(
                    METHOD_EVICTION, "succeeded", Duration.between(Instant.parse(status.startedAt), context.now()));
            context.planEvent(
                    EventReasons.POD_REPLACED,
                    "pod " + step.pod + " evicted from " + step.from + " is replaced: " + ready
                            + " pod(s) of its controller Ready",
                    false);
            return StepResult.done("replaced: " + ready + " pod(s) of its controller Ready");
        }
        if (context.isPast(status.evictedAt, context.settings.replacementReady())) {
            context.listener.podMoved(
                    METHOD_EVICTION,
                    "replacement_not_ready",
                    Duration.between(Instant.parse(status.startedAt), context.now()));
            return StepResult.fail(
                    StopReasons.REPLACEMENT_NOT_READY,
                    "no replacement for " + step.pod + " became Ready"
                            + " within " + context.settings.replacementReady() + " (" + ready + " of "
                            + status.readyBefore
                            + " Ready); check why its controller's new pod does not start");
        }
        return StepResult.WAIT;
    }

    private static int readyPodsOf(StepContext context, String namespace, String ownerUid, String excludedUid) {
        if (ownerUid == null) {
            return 0;
        }
        return (int) context.cluster.podsIn(namespace).stream()
                .filter(p -> !p.getMetadata().getUid().equals(excludedUid))
                .filter(p ->
                        Pods.controller(p).map(o -> ownerUid.equals(o.getUid())).orElse(false))
                .filter(Pods::isReady)
                .count();
    }

    private static Optional<StepResult> notDisruptable(PlanStep step, Pod pod) {
        if (!Pods.mustNotBeDisrupted(pod)) {
            return Optional.empty();
        }
        return Optional.of(StepResult.abort(
                StopReasons.POD_NOT_DISRUPTABLE,
                "pod " + step.pod + " now asks not to be disrupted, or has no controller or keeps local storage"
                        + " without saying it is safe to evict"));
    }

    private static Optional<StepResult> budgetDrift(StepContext context, Pod pod) {
        return BudgetDrift.of(
                        pod,
                        context.cluster.podDisruptionBudgets(pod.getMetadata().getNamespace()),
                        context.plan().getSpec().podDisruptionBudgets)
                .map(message -> StepResult.abort(StopReasons.PDB_CHANGED, message));
    }
}
