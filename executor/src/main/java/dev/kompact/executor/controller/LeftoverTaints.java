package dev.kompact.executor.controller;

import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepAction;
import dev.kompact.executor.execution.PlanStore;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller that died after stopping a plan but before taking its disruption taint off, a plan deleted or set
 * to {@code execute: false} while it held a node, or an untaint that failed, leaves a node out of service for good.
 * Every round, the taint and Kompact's cordon come off every node that no unfinished plan is emptying.
 */
final class LeftoverTaints {
    private static final Logger log = LoggerFactory.getLogger(LeftoverTaints.class);

    private LeftoverTaints() {}

    static void clean(ClusterApi cluster, PlanStore store) {
        Set<String> inUse = new HashSet<>();
        for (RebalancePlanResource plan : store.plans()) {
            if (plan.getSpec().execute && !plan.isFinished()) {
                plan.getSpec().waves.stream()
                        .filter(w -> w.action == StepAction.Taint)
                        .forEach(w -> w.steps.forEach(s -> inUse.add(s.node)));
            }
        }
        cluster.nodes().stream()
                .filter(n -> Nodes.hasTaint(n, KompactApi.DISRUPTED_TAINT) || Nodes.isCordonedByKompact(n))
                .map(n -> n.getMetadata().getName())
                .filter(name -> !inUse.contains(name))
                .forEach(name -> {
                    log.info(
                            "node {} is still tainted {} or cordoned by a plan no longer running: putting it back into"
                                    + " service",
                            name,
                            KompactApi.DISRUPTED_TAINT);
                    cluster.removeTaint(name, KompactApi.DISRUPTED_TAINT);
                    cluster.uncordon(name);
                });
    }
}
