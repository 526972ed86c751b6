package dev.kompact.optimizer.model;

public enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute;

    /** PreferNoSchedule is a preference, not a rule: the scheduler may still place pods there. */
    public boolean repels() {
        return this != PreferNoSchedule;
    }
}
