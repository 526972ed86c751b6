package dev.kompact.executor.controller;

import dev.kompact.executor.execution.LeadershipLost;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Whether this replica holds the Lease now, asked of the API server right before each change to the cluster or the
 * cloud. The elector's own view can be stale: a process paused past its Lease (a long GC, a frozen VM, a partition)
 * resumes believing it leads until its next renewal fails, while another replica already acts.
 *
 * <p>Held means: the elector says so, the Lease names this replica, and its last renewal is younger than the Lease
 * duration by this replica's clock. What remains is the window between this check and the request it guards.
 */
final class LeaseHolder {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration leaseDuration;
    private final BooleanSupplier electorLeads;
    private final Clock clock;

    LeaseHolder(KubernetesClient client, ControllerSettings settings, BooleanSupplier electorLeads, Clock clock) {
        this.client = client;
        this.namespace = settings.leaseNamespace();
        this.name = settings.leaseName();
        this.identity = settings.identity();
        this.leaseDuration = settings.leaseDuration();
        this.electorLeads = electorLeads;
        this.clock = clock;
    }

    /** @throws LeadershipLost unless this replica holds the Lease now */
    void check(String action) {
        if (!electorLeads.getAsBoolean()) {
            throw new LeadershipLost(identity + " does not lead: not " + action);
        }
        Lease lease = client.leases().inNamespace(namespace).withName(name).get();
        if (lease == null
                || lease.getSpec() == null
                || !identity.equals(lease.getSpec().getHolderIdentity())) {
            throw new LeadershipLost("the Lease " + namespace + "/" + name + " is held by "
                    + (lease == null || lease.getSpec() == null
                            ? "nobody"
                            : lease.getSpec().getHolderIdentity())
                    + ", not " + identity + ": not " + action);
        }
        Instant renewed = lease.getSpec().getRenewTime() == null
                ? Instant.EPOCH
                : lease.getSpec().getRenewTime().toInstant();
        if (!clock.instant().isBefore(renewed.plus(leaseDuration))) {
            throw new LeadershipLost(identity + " last renewed the Lease at " + renewed + ", more than " + leaseDuration
                    + " ago: not " + action);
        }
    }
}
