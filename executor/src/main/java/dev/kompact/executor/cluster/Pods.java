package dev.kompact.executor.cluster;

import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Volume;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the executor asks of a pod, read the way kubelet and kubectl drain read it. */
public final class Pods {

    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private Pods() {}

    public static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
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

    /** The planner's rule ({@link MobilityRules#isPinned}), asked of the pod as it is now. */
    public static boolean mustNotBeDisrupted(Pod pod) {
        Owner owner =
                controller(pod).map(o -> new Owner(o.getKind(), o.getName())).orElse(null);
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null
                ? Map.of()
                : pod.getMetadata().getAnnotations();
        List<Volume> volumes = pod.getSpec() == null || pod.getSpec().getVolumes() == null
                ? List.of()
                : pod.getSpec().getVolumes().stream().map(Pods::volume).toList();
        return MobilityRules.isPinned(owner, annotations, volumes);
    }

    private static Volume volume(io.fabric8.kubernetes.api.model.Volume volume) {
        Volume.Kind kind;
        if (volume.getEmptyDir() != null) {
            kind = Volume.Kind.EMPTY_DIR;
        } else if (volume.getHostPath() != null) {
            kind = Volume.Kind.HOST_PATH;
        } else if (volume.getPersistentVolumeClaim() != null) {
            kind = Volume.Kind.PERSISTENT_VOLUME_CLAIM;
        } else {
            kind = Volume.Kind.OTHER;
        }
        return new Volume(volume.getName(), kind);
    }

    /** Whether the pod runs on a node and still counts there: neither finished nor bound to the node itself. */
    public static boolean isWorkload(Pod pod) {
        return !belongsToNode(pod) && !isFinished(pod);
    }
}
