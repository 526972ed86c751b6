package dev.kompact.executor.controller;

import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.PlanStore;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy makes a plan every interval (every five minutes in DryRun), and nothing else deletes them: left alone
 * they fill etcd. Every round, the newest {@code keep} finished plans of the policy stay and older ones are deleted.
 * A plan is finished once it succeeded, failed or was aborted, or when it is not to be carried out (a dry run, or one
 * set to {@code execute: false}); an unfinished plan is its journal and is never deleted here.
 */
final class FinishedPlans {
    private static final Logger log = LoggerFactory.getLogger(FinishedPlans.class);

    private FinishedPlans() {}

    static void collect(PlanStore store, String policyName, int keep) {
        List<RebalancePlanResource> finished = store.plans().stream()
                .filter(p -> p.getMetadata().getLabels() != null
                        && policyName.equals(p.getMetadata().getLabels().get(PlanPublisher.POLICY_LABEL)))
                .filter(p -> p.isFinished() || !p.getSpec().execute)
                .sorted(Comparator.comparing(
                                (RebalancePlanResource p) -> p.getMetadata().getCreationTimestamp(),
                                Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                        .thenComparing(p -> p.getMetadata().getName())
                        .reversed())
                .toList();
        for (RebalancePlanResource old :
                finished.subList(Math.min(Math.max(keep, 0), finished.size()), finished.size())) {
            log.info(
                    "deleting plan {}: policy {} keeps its {} newest finished plans",
                    old.getMetadata().getName(),
                    policyName,
                    keep);
            store.delete(old.getMetadata().getName());
        }
    }
}
