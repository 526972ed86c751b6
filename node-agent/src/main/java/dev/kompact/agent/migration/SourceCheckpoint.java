package dev.kompact.agent.migration;

/** What a strategy leaves on the source between the freeze and the decision, and how each decision ends it. */
interface SourceCheckpoint {

    /** Post-copy: host:port where the target fetches the pages; empty when the image holds them. */
    String pageServerAddress();

    /**
     * Whether the target showed that its copy exists and may have run (post-copy: it asked for pages); stop-and-copy
     * cannot tell.
     */
    boolean targetStarted();

    /** The target runs the container with its whole memory: nothing of it may run here again. */
    void targetRuns();

    /** The target has no copy: the container runs here again, with its connections. */
    void resumeHere();

    /** The target may run a copy, or did and lost it: nothing may run here, and the copy here is gone. */
    void discard();
}
