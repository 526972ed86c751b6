package dev.kompact.executor.execution;

/** Why a plan stopped early: the {@code reason} of its status, condition and Warning event. */
final class StopReasons {

    static final String POD_GONE = "PodGone";
    static final String POD_MOVED = "PodMovedElsewhere";
    static final String POD_NOT_DISRUPTABLE = "PodNotDisruptable";
    static final String NODE_GONE = "NodeGone";
    static final String NODE_CORDONED = "NodeCordonedByOthers";
    static final String NODE_NOT_EMPTY = "NodeNotEmpty";
    static final String PDB_CHANGED = "PodDisruptionBudgetChanged";
    static final String NODE_BUDGET = "NodeDisruptionBudgetExhausted";
    static final String EVICTION_BLOCKED = "EvictionBlocked";
    static final String REPLACEMENT_NOT_READY = "ReplacementNotReady";
    static final String NODE_NOT_READY = "NodeNotReady";
    static final String DRAIN_TIMED_OUT = "DrainTimedOut";
    static final String POD_SCHEDULED_BACK = "PodScheduledBack";
    static final String MIGRATION_FAILED = "MigrationFailed";
    static final String NO_INSTANCE = "NoInstanceForNode";
    static final String STEP_ERROR = "StepKeptFailing";
    static final String INSTANCE_MISMATCH = "InstanceNotTheNodes";

    private StopReasons() {}
}
