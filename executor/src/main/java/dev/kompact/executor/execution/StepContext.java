package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.optimizer.plan.StepAction;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** What a step handler works with: the plan and its journal, the ports, and the clock. */
final class StepContext {

    final ClusterApi cluster;
    final CloudProvider cloud;
    final Optional<Migrator> migrator;
    /** Empty where the node agents move a pod's address themselves (the bridge CNI): the cloud has nothing to do. */
    final Optional<PodAddresses> addresses;

    final ExecutorSettings settings;
    final ExecutionListener listener;
    private final Clock clock;
    private final RebalancePlanResource plan;

    StepContext(
            ClusterApi cluster,
            CloudProvider cloud,
            Optional<Migrator> migrator,
            Optional<PodAddresses> addresses,
            ExecutorSettings settings,
            ExecutionListener listener,
            Clock clock,
            RebalancePlanResource plan) {
        this.cluster = cluster;
        this.cloud = cloud;
        this.migrator = migrator;
        this.addresses = addresses;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.plan = plan;
    }

    RebalancePlanResource plan() {
        return plan;
    }

    String planName() {
        return plan.getMetadata().getName();
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * An evacuation whose deadline is nearer than one move may take ({@link ExecutorSettings#replacementReady()}):
     * waiting for moves one after another, or for a live migration, could outlast the node, so every move starts at
     * once and evicts. Evictions still go through the Eviction API: PodDisruptionBudgets hold.
     */
    boolean pressedByDeadline() {
        String deadline = plan.getSpec().deadline;
        return deadline != null && now().plus(settings.replacementReady()).isAfter(Instant.parse(deadline));
    }

    boolean isPast(String instant, Duration plus) {
        return instant != null && now().isAfter(Instant.parse(instant).plus(plus));
    }

    boolean isBefore(String instant) {
        return instant != null && now().isBefore(Instant.parse(instant));
    }

    /** The real name of a node the plan refers to: a provisioned node's handle maps to the Node that joined. */
    String nodeName(String planNode) {
        for (var wave : plan.getSpec().waves) {
            for (PlanStep step : wave.steps) {
                if (step.action == StepAction.Provision && step.node.equals(planNode)) {
                    return plan.getStatus().step(step.id).map(s -> s.nodeName).orElse(planNode);
                }
            }
        }
        return planNode;
    }

    /**
     * Pods this plan moved live: their objects may still name the source node, but their containers run elsewhere,
     * so draining must not evict them and they do not keep the source node alive.
     */
    Set<String> liveMigratedPodUids() {
        Set<String> uids = new HashSet<>();
        for (StepStatus status : plan.getStatus().steps) {
            if (status.state == StepState.Succeeded && status.migrationId != null && status.podUid != null) {
                uids.add(status.podUid);
            }
        }
        return uids;
    }

    void planEvent(String reason, String message, boolean warning) {
        cluster.recordEvent(planReference(), reason, message, warning);
    }

    ObjectReference planReference() {
        return new ObjectReferenceBuilder()
                .withApiVersion(plan.getApiVersion())
                .withKind(plan.getKind())
                .withName(planName())
                .withUid(plan.getMetadata().getUid())
                .build();
    }

    static ObjectReference nodeReference(String node) {
        return new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(node)
                .build();
    }

    static ObjectReference podReference(Pod pod) {
        return new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .build();
    }
}
