package dev.kompact.executor.cluster;

import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;

/** What the executor asks of a pod, read the way kubelet and kubectl drain read it. */
public final class Pods {

    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private Pods() {}

    public static PodKey key(Pod pod) {
        return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    public static Optional<OwnerReference> controller(Pod pod) {
        if (pod.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return pod.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }

    /** DaemonSet and mirror (static) pods belong to their node: draining leaves them, and they go with it. */
    public static boolean belongsToNode(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(MIRROR_ANNOTATION)) {
            return true;
        }
        return controller(pod)
                .map(o -> "DaemonSet".equals(o.getKind()) || "Node".equals(o.getKind()))
                .orElse(false);
    }

    /** Succeeded or Failed: holds no resources and needs no replacement. */
    public static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    public static boolean isReady(Pod pod) {
        if (pod.getStatus() == null
                || !"Running".equals(pod.getStatus().getPhase())
                || isTerminating(pod)
                || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Whether the pod opted out of voluntary disruption, or has no controller that would recreate it. */
    public static boolean mustNotBeDisrupted(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        return controller(pod).isEmpty()
                || "true".equals(annotations.get(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT))
                || "true".equals(annotations.get(WellKnownLabels.KOMPACT_DO_NOT_DISRUPT))
                || "false".equals(annotations.get(WellKnownLabels.CA_SAFE_TO_EVICT));
    }

    /** Whether the pod runs on a node and still counts there: neither finished nor bound to the node itself. */
    public static boolean isWorkload(Pod pod) {
        return !belongsToNode(pod) && !isFinished(pod);
    }
}
