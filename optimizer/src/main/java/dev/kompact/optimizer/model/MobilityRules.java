package dev.kompact.optimizer.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides a pod's {@link Mobility} from the annotations the ecosystem already uses, so that a cluster tuned for
 * Karpenter, Cluster Autoscaler or the descheduler keeps its meaning under Kompact. As in Cluster Autoscaler,
 * {@code safe-to-evict: "true"} lets a bare pod or a pod with local storage go. The planner and the executor (right
 * before it evicts) both ask {@link #isPinned}, so a pod planned to move is one the executor lets go.
 */
public final class MobilityRules {

    private MobilityRules() {}

    /** {@code node} is the pod's current node, or null for a pending pod. */
    public static Mobility classify(Pod pod, Node node) {
        if (isPinned(pod.owner(), pod.annotations(), pod.volumes())) {
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

    /**
     * Whether the pod may not be moved at all: it belongs to its node, opted out of disruption, or would lose what no
     * controller or volume brings back.
     *
     * @param owner the pod's controller, null for a bare pod
     * @param volumes the pod's local and claimed volumes
     */
    public static boolean isPinned(Owner owner, Map<String, String> annotations, List<Volume> volumes) {
        if ((owner != null && (owner.isDaemonSet() || owner.isNode()))
                || annotations.containsKey(WellKnownLabels.MIRROR_POD)
                || "true".equals(annotations.get(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT))
                || "true".equals(annotations.get(WellKnownLabels.KOMPACT_DO_NOT_DISRUPT))
                || annotations.containsKey(WellKnownLabels.DESCHEDULER_PREFER_NO_EVICTION)) {
            return true;
        }
        String safeToEvict = annotations.get(WellKnownLabels.CA_SAFE_TO_EVICT);
        if ("false".equals(safeToEvict)) {
            return true;
        }
        if ("true".equals(safeToEvict)) {
            return false;
        }
        return owner == null || hasUncoveredLocalStorage(annotations, volumes);
    }

    private static boolean hasUncoveredLocalStorage(Map<String, String> annotations, List<Volume> volumes) {
        Set<String> covered = Arrays.stream(annotations
                        .getOrDefault(WellKnownLabels.CA_SAFE_TO_EVICT_LOCAL_VOLUMES, "")
                        .split(","))
                .map(String::trim)
                .collect(Collectors.toSet());
        return volumes.stream().anyMatch(v -> v.isLocal() && !covered.contains(v.name()));
    }

    private static boolean isTrue(Pod pod, String annotation) {
        return "true".equals(pod.annotations().get(annotation));
    }
}
