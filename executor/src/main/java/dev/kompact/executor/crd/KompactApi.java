package dev.kompact.executor.crd;

/** The API group of Kompact's custom resources, and the keys it writes on other objects. */
public final class KompactApi {

    public static final String GROUP = "kompact.dev";
    public static final String VERSION = "v1alpha1";
    /** Marks a node the executor is emptying so that no new pod lands on it. */
    public static final String DISRUPTED_TAINT = "kompact.dev/disrupted";
    /** On plans: the controller that created the plan. On nodes: the plan that launched the node. */
    public static final String CREATED_BY = "kompact.dev/created-by";

    /** On nodes: Kompact cordoned it, and undoes that cordon when the plan that did so stops. */
    public static final String CORDONED = "kompact.dev/cordoned";

    public static final String PLAN_LABEL = "kompact.dev/plan";

    private KompactApi() {}
}
