package dev.kompact.executor.controller;

import dev.kompact.executor.execution.ExecutorSettings;
import java.time.Duration;
import java.util.UUID;

/**
 * How the controller runs. {@link #forPolicy} gives the in-cluster defaults: identity from {@code POD_NAME} (else
 * the host name), metrics on 8080, health on 8081. The Lease's namespace has no default: two controllers that
 * picked different ones would both lead.
 *
 * @param metricsPort 0 picks a free port (tests)
 */
public record ControllerSettings(
        String policyName,
        String clusterName,
        String identity,
        String leaseNamespace,
        String leaseName,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        int metricsPort,
        int healthPort,
        ExecutorSettings executor) {

    public static final String LEASE_NAME = "kompact-controller";

    public static ControllerSettings forPolicy(String policyName, String leaseNamespace) {
        if (leaseNamespace == null || leaseNamespace.isBlank()) {
            throw new IllegalArgumentException(
                    "the controller's Lease needs a namespace: pass --lease-namespace (in a pod,"
                            + " --lease-namespace=$(POD_NAMESPACE))");
        }
        String identity = firstOf(
                System.getenv("POD_NAME"),
                System.getenv("HOSTNAME"),
                "kompact-" + UUID.randomUUID().toString().substring(0, 8));
        return new ControllerSettings(
                policyName,
                "cluster",
                identity,
                leaseNamespace,
                LEASE_NAME,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                8080,
                8081,
                ExecutorSettings.defaults());
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalStateException("no value");
    }
}
