package dev.kompact.optimizer.model;

/** Labels and annotations Kubernetes, Karpenter and Cluster Autoscaler give meaning to. */
public final class WellKnownLabels {

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
    public static final String ZONE = "topology.kubernetes.io/zone";
    public static final String ARCH = "kubernetes.io/arch";
    public static final String OS = "kubernetes.io/os";
    public static final String CAPACITY_TYPE = "karpenter.sh/capacity-type";

    public static final String KARPENTER_DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";
    public static final String CA_SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";
    public static final String CA_SAFE_TO_EVICT_LOCAL_VOLUMES =
            "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes";
    public static final String CA_SCALE_DOWN_DISABLED = "cluster-autoscaler.kubernetes.io/scale-down-disabled";
    public static final String DESCHEDULER_PREFER_NO_EVICTION = "descheduler.alpha.kubernetes.io/prefer-no-eviction";
    public static final String MIRROR_POD = "kubernetes.io/config.mirror";
    public static final String POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    public static final String KOMPACT_DO_NOT_DISRUPT = "kompact.dev/do-not-disrupt";
    public static final String KOMPACT_LIVE_MIGRATE = "kompact.dev/live-migrate";
    public static final String KOMPACT_AGENT = "kompact.dev/agent";

    private WellKnownLabels() {}
}
