package dev.kompact.optimizer.model;

/**
 * Decides a pod's {@link Mobility} from the annotations the ecosystem already uses, so that a cluster tuned for
 * Karpenter or Cluster Autoscaler keeps its meaning under Kompact.
 */
public final class MobilityRules {

    private MobilityRules() {
    }

    /** {@code node} is the pod's current node, or null for a pending pod. */
    public static Mobility classify(Pod pod, Node node) {
        if (pod.owner() == null || pod.isNodeBound()
                || isTrue(pod, WellKnownLabels.KARPENTER_DO_NOT_DISRUPT)
                || isTrue(pod, WellKnownLabels.KOMPACT_DO_NOT_DISRUPT)
                || "false".equals(pod.annotations().get(WellKnownLabels.CA_SAFE_TO_EVICT))) {
            return Mobility.PINNED;
        }
        if (isTrue(pod, WellKnownLabels.KOMPACT_LIVE_MIGRATE) && node != null && node.agentCapable()) {
            return Mobility.LIVE;
        }
        return Mobility.RESTART;
    }

    private static boolean isTrue(Pod pod, String annotation) {
        return "true".equals(pod.annotations().get(annotation));
    }
}
