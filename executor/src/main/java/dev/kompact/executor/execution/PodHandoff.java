package dev.kompact.executor.execution;

import static dev.kompact.executor.execution.ExecutionListener.METHOD_LIVE;

import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.HandoffPhase;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.migration.MigrationResult;
import dev.kompact.executor.migration.PodMigration;
import dev.kompact.optimizer.model.PodKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Moves a running pod live as a handoff between two Pod objects: the source S on its node and a target T the
 * executor creates on the target node (docs/live-migration.md, "The Kubernetes handoff"). Each phase is persisted in
 * the step's journal before it acts:
 *
 * <ol>
 *   <li>{@code Target}: create T ({@link TargetPods}), bound to the target node, run by the restore runtime, no
 *       labels or owner of S, held not Ready by a readiness gate. A T its kubelet rejected rolls back.</li>
 *   <li>{@code Address}, where the cloud routes pod addresses ({@link AddressHandoff}): S's address is routed to the
 *       target node; a refusal rolls back.</li>
 *   <li>{@code Freezing}: ask the source's agent to migrate every container of S into T, once: after a restart its
 *       agent is asked how the migration it may have started ended; an agent that cannot be asked leaves both pods
 *       as they are (the step errs until it answers).</li>
 *   <li>{@code Committed} (the agents' commit point passed: S's processes never run again): once T's containers are
 *       ready, S gets the lowest {@code pod-deletion-cost} and Ready False; T gets S's labels, S's controller as owner
 *       and its readiness gate True; S is deleted with its UID as precondition. Every write is idempotent, so after
 *       a restart they are all made again.</li>
 *   <li>{@code RollingBack} (did not commit, S runs where it was): S's address is routed back if it was moved, T is
 *       deleted, and the move falls back to a PodDisruptionBudget-respecting eviction.</li>
 * </ol>
 *
 * Kept: never two running copies (S is deleted only after the commit, T only before it or when it never ran); the
 * ReplicaSet never counts fewer active pods than before, so it never starts a third, and T turns Ready only after S
 * turned not Ready, so the two are never Ready together.
 */
final class PodHandoff {

    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String LOWEST_COST = String.valueOf(Integer.MIN_VALUE);
    static final String HANDED_OFF = "KompactHandedOff";

    StepResult advance(StepContext context, PlanStep step, StepStatus status) {
        if (context.migrator.isEmpty()) {
            // a plan's pod is mid-handoff: only the agents can tell how its migration ended
            throw new IllegalStateException("move " + step.id + " is in handoff phase " + status.handoff
                    + " of migration " + status.migrationId + ", but this controller runs without live migration:"
                    + " restart it with --live-migration (chart: liveMigration.enabled=true)");
        }
        String namespace = PodKey.parse(step.pod).namespace();
        Optional<Pod> source = context.cluster
                .pod(namespace, PodKey.parse(step.pod).name())
                .filter(p -> status.podUid.equals(p.getMetadata().getUid()));
        Optional<Pod> target =
                context.cluster.pod(namespace, status.targetPod).filter(p -> TargetPods.isTargetOf(p, status.podUid));
        return switch (status.handoff) {
            case Target -> createTarget(context, step, status, source, target);
            case Address -> AddressHandoff.move(context, step, status, source.isPresent() && target.isPresent());
            case Freezing -> migrate(context, step, status, source, target);
            case Committed -> commit(context, step, status, source, target);
            case RollingBack -> rollBack(context, step, status, target);
        };
    }

    private StepResult createTarget(
            StepContext context, PlanStep step, StepStatus status, Optional<Pod> source, Optional<Pod> target) {
        if (source.isEmpty()) {
            return rollingBack(status, "the pod was deleted before it froze");
        }
        if (target.isEmpty()) {
            Pod created = context.cluster.createPod(
                    TargetPods.of(source.get(), status.migrationId, context.nodeName(step.to)));
            if (!TargetPods.isTargetOf(created, status.podUid)) {
                // someone else's pod has the name: never touched, and never taken for the target
                return rollingBack(status, "pod " + status.targetPod + " exists and is not this handoff's target");
            }
            return StepResult.CHANGED;
        }
        if ("Failed".equals(phase(target.get()))) {
            return rollingBack(status, "the target pod's kubelet rejected it: " + reason(target.get()));
        }
        return AddressHandoff.afterTarget(context, status, source.get());
    }

    private StepResult migrate(
            StepContext context, PlanStep step, StepStatus status, Optional<Pod> source, Optional<Pod> target) {
        Optional<MigrationResult> asked = context.migrator.orElseThrow().outcome(status.migrationId, step.from);
        MigrationResult result;
        if (asked.isPresent()) {
            result = asked.get();
        } else if (source.isEmpty() || target.isEmpty()) {
            return rollingBack(
                    status,
                    "the " + (source.isEmpty() ? "source" : "target") + " pod was deleted before"
                            + " the migration started");
        } else {
            Optional<String> unfit = PodContainers.unfit(source.get());
            if (unfit.isPresent()) {
                return rollingBack(status, unfit.get());
            }
            result = context.migrator
                    .orElseThrow()
                    .migrate(migration(context, step, status, source.get(), target.get()));
        }
        Duration took = Duration.between(Instant.parse(status.startedAt), context.now());
        switch (result.outcome()) {
            case COMMITTED -> {
                context.listener.podFrozen(result.freeze());
                status.handoff = HandoffPhase.Committed;
                // a warning from after the agents' commit (the target pod may be unreachable): kept for the operator
                status.message = "migrated live (" + result.strategy() + ", frozen "
                        + result.freeze().toMillis() + " ms)"
                        + (result.message().isBlank() ? "" : "; " + result.message());
                return StepResult.CHANGED;
            }
            case IN_PROGRESS -> {
                return StepResult.WAIT;
            }
            case ROLLED_BACK, REJECTED -> {
                context.listener.podMoved(METHOD_LIVE, result.outcome().name().toLowerCase(), took);
                return rollingBack(
                        status,
                        "live migration " + result.outcome().name().toLowerCase() + " (" + result.message() + ")");
            }
            default -> {
                context.listener.podMoved(METHOD_LIVE, "failed", took);
                return StepResult.fail(
                        StopReasons.MIGRATION_FAILED,
                        "live migration " + status.migrationId + " of " + step.pod
                                + " failed and the pod is not confirmed running anywhere; neither pod is deleted: "
                                + result.message());
            }
        }
    }

    private StepResult commit(
            StepContext context, PlanStep step, StepStatus status, Optional<Pod> source, Optional<Pod> target) {
        String namespace = PodKey.parse(step.pod).namespace();
        if (target.isEmpty()) {
            return StepResult.fail(
                    StopReasons.MIGRATION_FAILED,
                    "pod " + namespace + "/" + status.targetPod + ", which " + step.pod
                            + " was migrated into, was deleted by someone else after the commit");
        }
        if (!containersReady(target.get())) {
            if (context.isPast(status.startedAt, context.settings.replacementReady())) {
                return StepResult.fail(
                        StopReasons.REPLACEMENT_NOT_READY,
                        "the containers of " + namespace + "/" + status.targetPod + " did not turn ready within "
                                + context.settings.replacementReady() + " after the migration committed; " + step.pod
                                + " is kept (frozen) for an operator to look at");
            }
            return StepResult.WAIT;
        }
        // the order makes the ReplicaSet drop S, never T, and never lets the two be Ready at once
        Pod t = target.get();
        source.ifPresent(s -> {
            context.cluster.annotatePod(namespace, s.getMetadata().getName(), DELETION_COST, LOWEST_COST);
            context.cluster.setPodCondition(
                    namespace,
                    s.getMetadata().getName(),
                    condition("Ready", "False", context, "its processes moved to pod " + status.targetPod));
            context.cluster.adoptPod(
                    namespace,
                    t.getMetadata().getName(),
                    s.getMetadata().getLabels(),
                    Pods.controller(s).orElse(null));
        });
        context.cluster.setPodCondition(
                namespace,
                t.getMetadata().getName(),
                condition(TargetPods.HANDOFF_COMPLETE, "True", context, "handed off from " + step.pod));
        source.ifPresent(
                s -> context.cluster.deletePod(namespace, s.getMetadata().getName(), status.podUid));
        context.listener.podMoved(
                METHOD_LIVE, "succeeded", Duration.between(Instant.parse(status.startedAt), context.now()));
        context.cluster.recordEvent(
                StepContext.podReference(t),
                EventReasons.POD_MIGRATED,
                "took over " + step.pod + " live from " + step.from + " by plan " + context.planName(),
                false);
        return StepResult.done("now pod " + namespace + "/" + status.targetPod + " on " + context.nodeName(step.to));
    }

    private StepResult rollBack(StepContext context, PlanStep step, StepStatus status, Optional<Pod> target) {
        Optional<StepResult> addressBack = AddressHandoff.moveBack(context, step, status);
        if (addressBack.isPresent()) {
            return addressBack.get();
        }
        if (target.isPresent()) {
            Pod t = target.get();
            context.cluster.deletePod(
                    t.getMetadata().getNamespace(),
                    t.getMetadata().getName(),
                    t.getMetadata().getUid());
            return StepResult.CHANGED;
        }
        // the pod runs on its source as before: the plan's move still needs it gone, by eviction
        status.handoff = null;
        status.migrationId = null;
        status.message = status.message + "; evicting instead";
        return StepResult.CHANGED;
    }

    static StepResult rollingBack(StepStatus status, String why) {
        status.handoff = HandoffPhase.RollingBack;
        status.message = why;
        return StepResult.CHANGED;
    }

    private static PodMigration migration(StepContext context, PlanStep step, StepStatus status, Pod s, Pod t) {
        return new PodMigration(
                status.migrationId,
                step.from,
                context.nodeName(step.to),
                ref(s),
                ref(t),
                PodContainers.running(s),
                AddressHandoff.targetEni(status));
    }

    private static PodMigration.PodRef ref(Pod pod) {
        return new PodMigration.PodRef(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid());
    }

    private static PodCondition condition(String type, String value, StepContext context, String message) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(HANDED_OFF)
                .withMessage(message)
                .withLastTransitionTime(context.now().toString())
                .build();
    }

    private static boolean containersReady(Pod pod) {
        return "Running".equals(phase(pod))
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "ContainersReady".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String reason(Pod pod) {
        return pod.getStatus().getReason() + ": " + pod.getStatus().getMessage();
    }
}
