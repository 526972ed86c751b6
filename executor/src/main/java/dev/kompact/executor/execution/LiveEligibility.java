package dev.kompact.executor.execution;

import dev.kompact.executor.cluster.Pods;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Kubernetes lets a pod be handed off to a target pod (docs/live-migration.md, "Who may move live"); the
 * agents' own conditions are asked of them ({@link dev.kompact.executor.migration.Migrator#refusal}).
 */
final class LiveEligibility {

    private LiveEligibility() {}

    /** Why the pod is evicted instead of moved live; empty when the handoff may start. */
    static Optional<String> refusal(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        if (!"true".equals(annotations.get(WellKnownLabels.KOMPACT_LIVE_MIGRATE))) {
            return Optional.of(
                    "it does not opt in (annotation " + WellKnownLabels.KOMPACT_LIVE_MIGRATE + ": \"true\")");
        }
        if (annotations.containsKey(WellKnownLabels.MIRROR_POD)) {
            return Optional.of("it is a mirror pod: its kubelet owns it");
        }
        Optional<OwnerReference> owner = Pods.controller(pod);
        if (owner.isPresent() && "StatefulSet".equals(owner.get().getKind())) {
            return Optional.of("StatefulSet pods are refused: their name is their identity, two pods of one name cannot"
                    + " exist, and the StatefulSet re-creates a deleted ordinal by name");
        }
        if (owner.isPresent() && "Job".equals(owner.get().getKind())) {
            return Optional.of("Job pods are refused: the Job controller's active-pod and completions accounting was"
                    + " not studied for a handoff");
        }
        if (owner.isPresent() && !"ReplicaSet".equals(owner.get().getKind())) {
            return Optional.of("its controller is a " + owner.get().getKind()
                    + "; only ReplicaSet (Deployment) and bare pods are handed off");
        }
        if (pod.getSpec().getEphemeralContainers() != null
                && !pod.getSpec().getEphemeralContainers().isEmpty()) {
            return Optional.of("it has ephemeral containers, which are not checkpointed");
        }
        return PodContainers.unfit(pod);
    }
}
