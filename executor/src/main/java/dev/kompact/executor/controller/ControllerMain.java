package dev.kompact.executor.controller;

import dev.kompact.executor.cluster.ClusterConnection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code kompact controller}: runs the controller until the process is told to stop. */
public final class ControllerMain {

    private ControllerMain() {}

    /**
     * Blocks until the JVM shuts down (SIGTERM), then releases the Lease.
     *
     * @param kubeconfig null for $KUBECONFIG, ~/.kube/config or the in-cluster service account
     * @param context null for the kubeconfig's current context
     * @param leaseNamespace where the controllers' Lease lives; every replica must name the same one
     * @param cloud {@link ControllerCloud#none()} to run without a cloud: plans are then only reported
     */
    public static void run(
            Path kubeconfig, String context, String policyName, String leaseNamespace, ControllerCloud cloud)
            throws Exception {
        ControllerSettings settings = ControllerSettings.forPolicy(policyName, leaseNamespace);
        KubernetesClient client = ClusterConnection.open(kubeconfig, context);
        Controller controller =
                new Controller(client, settings, cloud, Optional.empty(), PrometheusRegistry.defaultRegistry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            controller.close();
                            client.close();
                            stopped.countDown();
                        },
                        "kompact-shutdown"));
        controller.start();
        stopped.await();
    }
}
