package dev.kompact.executor.controller;

import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStatus;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.EventReasons;
import dev.kompact.executor.execution.PlanStore;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Creates RebalancePlan resources: named by time, labelled with their policy, announced by an Event. A plan whose
 * object would outgrow what the API server stores is refused ({@link PlanTooLarge}).
 */
final class PlanPublisher {

    static final String POLICY_LABEL = "kompact.dev/policy";
    /**
     * The API server and etcd take objects up to about 1.5 MiB; a plan keeps well under it, since its journal grows in
     * the same object.
     */
    static final int MAX_PLAN_BYTES = 1 << 20;
    /** What one step's journal entry may take once it is written: ids, times, UIDs, a message. */
    static final int JOURNAL_BYTES_PER_STEP = 512;

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final ClusterApi cluster;
    private final PlanStore store;
    private final String identity;
    private final Clock clock;

    PlanPublisher(ClusterApi cluster, PlanStore store, String identity, Clock clock) {
        this.cluster = cluster;
        this.store = store;
        this.identity = identity;
        this.clock = clock;
    }

    /** @param prefix {@code rebalance} or {@code evacuate}: what the plan is for, at a glance in kubectl */
    RebalancePlanResource create(OptimizationPolicy policy, PlanSpec spec, String prefix, String announcement) {
        RebalancePlanResource resource = new RebalancePlanResource();
        resource.setMetadata(new ObjectMetaBuilder()
                .withName(prefix + "-" + NAME_TIME.format(clock.instant()) + "-"
                        + UUID.randomUUID().toString().substring(0, 4))
                .addToLabels(POLICY_LABEL, policy.getMetadata().getName())
                .addToAnnotations(KompactApi.CREATED_BY, identity)
                .build());
        resource.setSpec(spec);
        long steps = spec.waves.stream().mapToLong(w -> w.steps.size()).sum();
        long bytes = JSON.asJson(resource).getBytes(StandardCharsets.UTF_8).length + steps * JOURNAL_BYTES_PER_STEP;
        if (bytes > MAX_PLAN_BYTES) {
            throw new PlanTooLarge("a plan of " + steps + " steps would take some " + bytes / 1024
                    + " KiB with its journal, over the " + MAX_PLAN_BYTES / 1024
                    + " KiB a plan may: not created. Narrow the policy (instanceFamilies, instanceTypes) or lower its"
                    + " disruption budget so that a round plans fewer moves");
        }
        RebalancePlanResource created = store.create(resource);
        cluster.recordEvent(
                new ObjectReferenceBuilder()
                        .withApiVersion(created.getApiVersion())
                        .withKind(created.getKind())
                        .withName(created.getMetadata().getName())
                        .withUid(created.getMetadata().getUid())
                        .build(),
                EventReasons.PLAN_CREATED,
                (spec.execute ? "" : "dry run: ") + announcement,
                false);
        return created;
    }

    /** The plan was not created: its object would be too large for the API server to store with its journal. */
    static final class PlanTooLarge extends RuntimeException {
        PlanTooLarge(String message) {
            super(message);
        }
    }

    /** Marks a plan that will not be carried out, and says why: the policy's DryRun mode, else no cloud provider. */
    void reportOnly(RebalancePlanResource plan, OptimizationPolicy policy) {
        PlanStatus status = new PlanStatus();
        status.reason = "DryRun";
        status.message = policy.getSpec().mode == PolicyMode.DryRun
                ? "reported only: policy " + policy.getMetadata().getName() + " is in DryRun mode"
                : "reported only: this controller has no cloud provider to carry it out";
        plan.setStatus(status);
        store.updateStatus(plan);
    }
}
