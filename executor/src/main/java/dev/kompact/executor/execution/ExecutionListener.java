package dev.kompact.executor.execution;

import dev.kompact.executor.crd.PlanPhase;
import java.time.Duration;

/** Told what the executor did, for metrics. */
public interface ExecutionListener {

    ExecutionListener NONE = new ExecutionListener() {};

    /** The methods a pod is moved by, as {@link #podMoved} names them */
    String METHOD_LIVE = "live";

    String METHOD_EVICTION = "eviction";

    /** @param method {@link #METHOD_LIVE} or {@link #METHOD_EVICTION}; @param result "succeeded", "rolled_back", "failed", ... */
    default void podMoved(String method, String result, Duration took) {}

    /** A live move's freeze: how long the pod was stopped. */
    default void podFrozen(Duration freeze) {}

    default void nodeTerminated() {}

    default void planFinished(PlanPhase phase) {}
}
