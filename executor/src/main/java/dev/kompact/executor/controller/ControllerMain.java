package dev.kompact.executor.controller;

import dev.kompact.executor.certificates.BuiltinCertificates;
import dev.kompact.executor.cluster.ClusterConnection;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.migration.DaemonSetAgents;
import dev.kompact.executor.migration.Migrator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code kompact controller}: runs the controller until the process is told to stop. */
public final class ControllerMain {

    // an agent waits for its certificate at start: a short poll keeps that wait short
    private static final Duration SIGNING_POLL = Duration.ofSeconds(2);

    /** The wait for the target pod's containers to park (2 min at most, by design) and the migration itself. */
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(5);

    private ControllerMain() {}

    /**
     * Blocks until the JVM shuts down (SIGTERM), then releases the Lease.
     *
     * @param kubeconfig null for $KUBECONFIG, ~/.kube/config or the in-cluster service account
     * @param context null for the kubeconfig's current context
     * @param leaseNamespace where the controllers' Lease lives; every replica must name the same one
     * @param cloud {@link ControllerCloud#none()} to run without a cloud: plans are then only reported
     * @param certificates present: sign the agents' certificates ({@link BuiltinCertificates})
     * @param liveMigration empty: every move is an eviction; else the agents found from their DaemonSet in
     *     {@code leaseNamespace} move the pods that opt in
     */
    public static void run(
            Path kubeconfig,
            String context,
            String policyName,
            String leaseNamespace,
            ControllerCloud cloud,
            Optional<BuiltinCertificates.Settings> certificates,
            Optional<LiveMigration> liveMigration)
            throws Exception {
        ControllerSettings settings = ControllerSettings.forPolicy(policyName, leaseNamespace);
        KubernetesClient client = ClusterConnection.open(kubeconfig, context);
        Running running =
                start(client, settings, cloud, certificates, liveMigration, PrometheusRegistry.defaultRegistry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            client.close();
                            stopped.countDown();
                        },
                        "kompact-shutdown"));
        stopped.await();
    }

    /**
     * Starts the controller as {@code kompact controller} wires it: the migrator over the agents found from their
     * DaemonSet in the Lease's namespace, the signer of the agents' certificates; closing it stops them all.
     */
    public static Running start(
            KubernetesClient client,
            ControllerSettings settings,
            ControllerCloud cloud,
            Optional<BuiltinCertificates.Settings> certificates,
            Optional<LiveMigration> liveMigration,
            PrometheusRegistry registry)
            throws IOException {
        // the identity files are read when a migration first calls an agent, after the signer has written them
        Optional<AgentMigrator> migrator = liveMigration.map(live -> new AgentMigrator(
                live.identity(),
                new DaemonSetAgents(client, settings.leaseNamespace(), live.agentSelector()),
                MIGRATION_TIMEOUT));
        Controller controller = new Controller(client, settings, cloud, migrator.map(Migrator.class::cast), registry);
        Optional<BuiltinCertificates> signing =
                certificates.map(c -> new BuiltinCertificates(client, c, controller::isLeading, SIGNING_POLL));
        signing.ifPresent(BuiltinCertificates::start);
        controller.start();
        return () -> {
            signing.ifPresent(BuiltinCertificates::close);
            controller.close();
            migrator.ifPresent(AgentMigrator::close);
        };
    }

    /** A started controller; the client it was given stays open. */
    public interface Running extends AutoCloseable {
        @Override
        void close();
    }
}
