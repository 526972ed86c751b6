package dev.kompact.optimizer.plan;

/** The search found no placement that keeps every Kubernetes rule; nothing should be changed. */
public class NoValidPlanException extends RuntimeException {

    public NoValidPlanException(String score) {
        super("no valid plan found (best score " + score + "): the snapshot breaks a scheduling rule as it stands,"
                + " e.g. a node whose pods request more than its allocatable; fix the snapshot or check it with"
                + " 'kompact plan'");
    }
}
