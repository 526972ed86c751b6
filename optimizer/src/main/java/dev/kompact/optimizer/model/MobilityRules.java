package dev.kompact.optimizer.model;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides a pod's {@link Mobility} from the annotations the ecosystem already uses, so that a cluster tuned for
 * Karpenter, Cluster Autoscaler or the descheduler keeps its meaning under Kompact. As in Cluster Autoscaler,
 * {@code safe-to-evict: "true"} lets a bare pod or a pod with local storage go.
 */
public final class MobilityRules {

    private MobilityRules() {}

    /** {@code node} is the pod's current node, or null for a pending pod. */
    public static Mobility classify(Pod pod, Node node) {
        if (isPinned(pod)) {
            return Mobility.PINNED;
        }
        if (isTrue(pod, WellKnownLabels.KOMPACT_LIVE_MIGRATE) && node != null && node.agentCapable()) {
            return Mobility.LIVE;
        }
        return Mobility.RESTART;
    }

    /** A node the autoscalers were told to keep is kept, whatever it costs. */
    public static boolean isKept(Node node) {
        return "true".equals(node.annotations().get(WellKnownLabels.CA_SCALE_DOWN_DISABLED))
                || "true".equals(node.annotations().get(WellKnownLabels.KOMPACT_DO_NOT_DISRUPT));
    }

    private static boolean isPinned(Pod pod) {
        if (pod.isNodeBound()
                || pod.annotations().containsKey(WellKnownLabels.MIRROR_POD)
                || isTrue(pod, WellKnownLabels.KARPENTER_DO_NOT_DISRUPT)
                || isTrue(pod, WellKnownLabels.KOMPACT_DO_NOT_DISRUPT)
                || pod.annotations().containsKey(WellKnownLabels.DESCHEDULER_PREFER_NO_EVICTION)) {
            return true;
        }
        String safeToEvict = pod.annotations().get(WellKnownLabels.CA_SAFE_TO_EVICT);
        if ("false".equals(safeToEvict)) {
            return true;
        }
        if ("true".equals(safeToEvict)) {
            return false;
        }
        return pod.owner() == null || hasUncoveredLocalStorage(pod);
    }

    private static boolean hasUncoveredLocalStorage(Pod pod) {
        Set<String> covered = Arrays.stream(pod.annotations()
                        .getOrDefault(WellKnownLabels.CA_SAFE_TO_EVICT_LOCAL_VOLUMES, "")
                        .split(","))
                .map(String::trim)
                .collect(Collectors.toSet());
        return pod.volumes().stream().anyMatch(v -> v.isLocal() && !covered.contains(v.name()));
    }

    private static boolean isTrue(Pod pod, String annotation) {
        return "true".equals(pod.annotations().get(annotation));
    }
}
