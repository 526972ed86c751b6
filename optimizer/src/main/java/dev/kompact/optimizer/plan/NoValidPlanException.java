package dev.kompact.optimizer.plan;

import java.util.List;

/** The search found no placement that keeps every Kubernetes rule; nothing should be changed. */
public class NoValidPlanException extends RuntimeException {

    public NoValidPlanException(List<String> brokenRules) {
        super("no valid plan: even the best placement found breaks " + String.join("; ", brokenRules)
                + ". Usually the snapshot already breaks the rule as it stands (e.g. pinned pods requesting more"
                + " than their node's allocatable); correct the snapshot and plan again.");
    }
}
