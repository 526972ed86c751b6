package dev.kompact.optimizer.plan;

/**
 * What a wave does. The names are the RebalancePlan resource's as well, so that a plan reads the same from
 * {@code kompact plan} to {@code kubectl describe}.
 */
public enum StepAction {
    /** Buy the added nodes. */
    Provision,
    /** Mark the nodes about to be emptied, so that nothing new lands on them. */
    Taint,
    /** Move pods, live or by restart. */
    Move,
    /** Evict what is left on the emptied nodes. */
    Drain,
    /** Give the emptied nodes back to the cloud. */
    Terminate
}
