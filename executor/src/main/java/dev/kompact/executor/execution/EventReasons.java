package dev.kompact.executor.execution;

/** The reasons of the Events the controller publishes: stable, so that alerts can match them. */
public final class EventReasons {

    public static final String PLAN_CREATED = "PlanCreated";
    public static final String PLAN_STARTED = "PlanStarted";
    public static final String PLAN_SUCCEEDED = "PlanSucceeded";
    public static final String NODE_LAUNCHED = "NodeLaunched";
    public static final String NODE_READY = "NodeReady";
    public static final String NODE_DISRUPTED = "NodeDisrupted";
    public static final String POD_EVICTED = "PodEvicted";
    public static final String POD_MIGRATED = "PodMigrated";
    public static final String POD_REPLACED = "PodReplaced";
    public static final String NODE_DRAINED = "NodeDrained";
    public static final String NODE_TERMINATED = "NodeTerminated";
    /** A pod that landed on a node between the last look at it and its termination: it went down with the node. */
    public static final String POD_CAUGHT = "PodCaughtByTermination";

    private EventReasons() {}
}
