package dev.kompact.executor.execution;

import dev.kompact.executor.crd.PlanPhase;
import java.time.Duration;

/** Told what the executor did, for metrics. */
public interface ExecutionListener {

    ExecutionListener NONE = new ExecutionListener() {};

    /** @param method "live" or "eviction"; @param result "succeeded", "rolled_back", "failed", ... */
    default void podMoved(String method, String result, Duration took) {}

    default void nodeTerminated() {}

    default void planFinished(PlanPhase phase) {}
}
