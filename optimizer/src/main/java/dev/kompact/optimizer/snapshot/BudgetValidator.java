package dev.kompact.optimizer.snapshot;

import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDisruptionBudgetDocument;
import java.util.List;
import java.util.Map;

/** Turns PodDisruptionBudget documents into the model. */
final class BudgetValidator {

    private final DocumentChecks checks;

    BudgetValidator(DocumentChecks checks) {
        this.checks = checks;
    }

    PodDisruptionBudget budget(String path, PodDisruptionBudgetDocument doc) {
        String namespace = null;
        String name = null;
        if (doc.metadata() == null) {
            checks.problem(path + ".metadata", "missing");
        } else {
            namespace =
                    checks.required(path + ".metadata.namespace", doc.metadata().namespace());
            name = checks.required(path + ".metadata.name", doc.metadata().name());
        }
        if (doc.spec() == null) {
            checks.problem(path + ".spec", "missing");
            return null;
        }
        LabelSelector selector = new LabelSelector(Map.of(), List.of());
        if (doc.spec().selector() == null) {
            checks.problem(path + ".spec.selector", "missing");
        } else {
            selector = checks.labelSelector(path + ".spec.selector", doc.spec().selector());
        }
        String minAvailable = doc.spec().minAvailable();
        String maxUnavailable = doc.spec().maxUnavailable();
        if ((minAvailable == null) == (maxUnavailable == null)) {
            checks.problem(path + ".spec", "set exactly one of minAvailable and maxUnavailable");
        }
        checks.intOrPercent(path + ".spec.minAvailable", minAvailable);
        checks.intOrPercent(path + ".spec.maxUnavailable", maxUnavailable);
        int allowed = doc.status() == null || doc.status().disruptionsAllowed() == null
                ? 0
                : doc.status().disruptionsAllowed();
        if (allowed < 0) {
            checks.problem(path + ".status.disruptionsAllowed", "must not be negative");
        }
        return new PodDisruptionBudget(namespace, name, selector, minAvailable, maxUnavailable, allowed);
    }
}
