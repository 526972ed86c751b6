package dev.kompact.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm install} on the test API server: the rendered manifests (CRDs first, then RBAC, the Deployment and the
 * example policy) are applied to a bare CRUD mock that knows no Kompact kind until the CRDs arrive; then the
 * {@code kompact} command is started as its own process the way the kubelet would start the Deployment's container
 * (its args with {@code $(VAR)} expanded, its env with the downward API resolved), and its first DryRun plan must
 * appear, its probes answer on the rendered ports, and each of its requests be granted by the rendered RBAC.
 */
class InstallTest {

    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");
    private static final String POD_NAME = "kompact-controller-5d8f7c9b4-x2x4q";
    private static final String FIXTURES = "install-test-fixtures";

    KubernetesMockServer server;
    KubernetesClient client;
    Process controller;

    @TempDir
    Path tmp;

    @BeforeEach
    void bareApiServer() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                        .withUserAgent(FIXTURES)
                        .build())
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.destroy();
            if (!controller.waitFor(30, TimeUnit.SECONDS)) {
                controller.destroyForcibly();
            }
        }
        client.close();
        server.destroy();
    }

    @Test
    void freshInstallProducesItsFirstDryRunPlanAndExportsTheMetricsItsAlertsAndDashboardUse() throws Exception {
        // the policy is a post-install hook, which helm template (as helm-java runs it) leaves out: rendered plain
        // here;
        // a short solver limit keeps the test quick.
        List<HasMetadata> manifests = Chart.withDefaults()
                .set("policy.hook", "false")
                .set("policy.solverTimeLimit", "3s")
                .render();
        threeHalfEmptyNodes();

        apply(manifests);
        Container container = Chart.only(manifests, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        controller = start(container);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertThat(controller.isAlive())
                            .as("the controller exited: " + log())
                            .isTrue();
                    return !plans().isEmpty() && plans().get(0).getStatus() != null;
                });

        RebalancePlanResource plan = plans().get(0);
        assertThat(plan.getSpec().execute).isFalse();
        assertThat(plan.getStatus().phase).isEqualTo(PlanPhase.Pending);
        assertThat(plan.getStatus().reason).isEqualTo("DryRun");
        assertThat(plan.getSpec().savings).startsWith("$");
        Lease lease = client.leases()
                .inNamespace(Chart.NAMESPACE)
                .withName("kompact-controller")
                .get();
        assertThat(lease).as("the Lease in the release namespace").isNotNull();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(POD_NAME);
        assertThat(probe(container.getLivenessProbe().getHttpGet().getPath(), port(container, "health")))
                .isEqualTo(200);
        assertThat(probe(container.getReadinessProbe().getHttpGet().getPath(), port(container, "health")))
                .isEqualTo(200);
        assertThat(probe("/metrics", port(container, "metrics"))).isEqualTo(200);
        exportsEveryMetricTheChartQueries(port(container, "metrics"));

        RenderedRbac rbac = new RenderedRbac(manifests, "kompact-controller", Chart.NAMESPACE);
        List<String> denied = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            ApiRequest seen = ApiRequest.of(request.getMethod(), request.getPath());
            if (!FIXTURES.equals(request.getHeader("User-Agent")) && seen.isResource() && !rbac.allows(seen)) {
                denied.add(seen.toString());
            }
        }
        assertThat(denied)
                .as("requests of the installed controller its RBAC would refuse")
                .isEmpty();
    }

    /** Rendered with every alert on; the controller has planned once, as its first scrape after a round would see. */
    private static void exportsEveryMetricTheChartQueries(int metricsPort) throws Exception {
        ChartMetrics queried = ChartMetrics.of(Chart.withDefaults()
                .set("monitoring.prometheusRule", "true")
                .set("liveMigration.enabled", "true")
                .set("certificates.mode", "cert-manager")
                .render());
        String body = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        List<String> exported = body.lines()
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .distinct()
                .toList();
        assertThat(queried.kompact())
                .contains("kompact_leader", "kompact_plans_total", "kompact_migrations_total")
                .contains("kompact_migration_freeze_seconds_bucket");
        assertThat(exported).as("the running controller's /metrics").containsAll(queried.kompact());
        assertThat(queried.others())
                .as("metrics of other exporters, which the README says to install")
                .containsExactlyInAnyOrder(
                        "kube_node_info",
                        "kube_daemonset_status_number_unavailable",
                        "certmanager_certificate_expiration_timestamp_seconds");
    }

    /** CRDs first, as Helm orders them; the mock learns the Kompact kinds from them. */
    private void apply(List<HasMetadata> manifests) {
        List<HasMetadata> ordered = new ArrayList<>(manifests);
        ordered.sort(Comparator.comparing(m -> m instanceof CustomResourceDefinition ? 0 : 1));
        for (HasMetadata manifest : ordered) {
            client.resource(manifest).create();
        }
    }

    private Process start(Container container) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValueFrom() == null ? var.getValue() : downward(var));
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.kompact.cli.Kompact"));
        for (String arg : container.getArgs()) {
            command.add(expand(arg, env));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("controller.log").toFile());
        builder.environment().putAll(env);
        // what the pod's service account gives it in a cluster: the API server's address (here the mock's, over HTTP)
        builder.environment().put("KUBERNETES_MASTER", client.getConfiguration().getMasterUrl());
        builder.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        builder.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        builder.environment().remove("KUBECONFIG");
        return builder.start();
    }

    private static String downward(EnvVar var) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        return switch (field) {
            case "metadata.name" -> POD_NAME;
            case "metadata.namespace" -> Chart.NAMESPACE;
            default -> throw new AssertionError("the install test does not resolve fieldRef " + field);
        };
    }

    /** As the kubelet expands $(VAR) in args; an unknown variable stays as written. */
    private static String expand(String arg, Map<String, String> env) {
        Matcher m = VAR.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    private static int port(Container container, String name) {
        return container.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .findFirst()
                .orElseThrow()
                .getContainerPort();
    }

    private static int probe(String path, int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void threeHalfEmptyNodes() {
        for (int i = 1; i <= 3; i++) {
            client.nodes()
                    .resource(TestCluster.nodeObject("node-" + i, "m5.2xlarge", "i-0100" + i, Map.of()))
                    .create();
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("shop")
                    .withName("web-" + i)
                    .addToLabels("app", "web")
                    .addNewOwnerReference()
                    .withApiVersion("apps/v1")
                    .withKind("ReplicaSet")
                    .withName("web-7d9c")
                    .withUid("rs-web")
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("node-" + i)
                    .addNewContainer()
                    .withName("app")
                    .withImage("nginx")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("500m"))
                    .addToRequests("memory", new Quantity("512Mi"))
                    .endResources()
                    .endContainer()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Running")
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .endCondition()
                    .endStatus()
                    .build();
            client.pods().resource(pod).create();
        }
    }

    private List<RebalancePlanResource> plans() {
        return client.resources(RebalancePlanResource.class).list().getItems();
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("controller.log"));
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
