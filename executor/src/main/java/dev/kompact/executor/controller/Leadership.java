package dev.kompact.executor.controller;

import dev.kompact.executor.ReadOnly;
import dev.kompact.executor.execution.LeadershipLost;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Whether this replica may act, asked in one place: {@link #check} runs before every call to a port that is not
 * {@link ReadOnly} (a taint, an eviction, a plan's journal, a launch, a migration, an Event), because the ports the
 * controller uses are all handed out through {@link #guard}. The elector's own view can be stale: a process paused
 * past its Lease (a long GC, a frozen VM, a partition) resumes believing it leads until its next renewal fails, while
 * another replica already acts.
 *
 * <p>May act means: the elector says this replica leads, and the Lease, read from the API server right then, names
 * this replica and was renewed less than a Lease duration ago by this replica's clock. A Lease that cannot be read
 * counts as lost. What remains is the window between this check and the request it guards.
 *
 * <p>The elector's view alone ({@link Term#isCurrent}) only says when a leadership's threads stop; they act only
 * through the guarded ports.
 */
final class Leadership {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration leaseDuration;
    private final Clock clock;
    private volatile Term current;

    /** @param client the elector's client: no retries, so that a check never outlives the Lease it checks */
    Leadership(KubernetesClient client, ControllerSettings settings, Clock clock) {
        this.client = client;
        this.namespace = settings.leaseNamespace();
        this.name = settings.leaseName();
        this.identity = settings.identity();
        this.leaseDuration = settings.leaseDuration();
        this.clock = clock;
    }

    /** One leadership, from the elector's start callback to its stop callback. */
    final class Term {
        private Term() {}

        /** Whether the elector has not ended this leadership (nor begun another): its threads stop when not. */
        boolean isCurrent() {
            return current == this;
        }
    }

    Term begin() {
        Term term = new Term();
        current = term;
        return term;
    }

    void end() {
        current = null;
    }

    /** What the elector believes, for health and metrics; whether to act is only ever asked of {@link #check}. */
    boolean electorLeads() {
        return current != null;
    }

    /** @throws LeadershipLost unless this replica holds the Lease now */
    void check(String action) {
        if (current == null) {
            throw new LeadershipLost(identity + " does not lead: not " + action);
        }
        Lease lease;
        try {
            lease = client.leases().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new LeadershipLost(
                    "cannot read the Lease " + namespace + "/" + name + " (" + e.getMessage() + "): not " + action);
        }
        String holder = lease == null || lease.getSpec() == null
                ? null
                : lease.getSpec().getHolderIdentity();
        if (!identity.equals(holder)) {
            throw new LeadershipLost("the Lease " + namespace + "/" + name + " is held by "
                    + (holder == null ? "nobody" : holder) + ", not " + identity + ": not " + action);
        }
        Instant renewed = lease.getSpec().getRenewTime() == null
                ? Instant.EPOCH
                : lease.getSpec().getRenewTime().toInstant();
        if (!clock.instant().isBefore(renewed.plus(leaseDuration))) {
            throw new LeadershipLost(identity + " last renewed the Lease at " + renewed + ", more than " + leaseDuration
                    + " ago: not " + action);
        }
    }

    /** {@code target} with {@link #check} before each of {@code port}'s methods that is not {@link ReadOnly}. */
    <T> T guard(Class<T> port, T target) {
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (self, method, args) -> {
            if (method.getDeclaringClass() != Object.class && !method.isAnnotationPresent(ReadOnly.class)) {
                check(action(port, method, args));
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return port.cast(proxy);
    }

    /** As the refusal names it: "ClusterApi.evict(shop, web-1, uid-1)". */
    private static String action(Class<?> port, Method method, Object[] args) {
        String arguments =
                args == null ? "" : Arrays.stream(args).map(Leadership::shortly).collect(Collectors.joining(", "));
        return port.getSimpleName() + "." + method.getName() + "(" + arguments + ")";
    }

    private static String shortly(Object argument) {
        if (argument instanceof String || argument instanceof Number || argument instanceof Boolean) {
            return argument.toString();
        }
        return argument == null ? "null" : argument.getClass().getSimpleName();
    }
}
