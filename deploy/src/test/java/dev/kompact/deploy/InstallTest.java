package dev.kompact.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.executor.certificates.AgentCertificates;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.testing.CsrApiStandIn;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.core.ConditionTimeoutException;
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
    private static final String AGENT_NODE = "node-1";

    final CsrApiStandIn api = new CsrApiStandIn();
    KubernetesMockServer server;
    KubernetesClient client;
    Process controller;
    Process agent;

    @TempDir
    Path tmp;

    @BeforeEach
    void bareApiServer() {
        // the CRUD store, and what the API server writes into a CSR about its requester
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
        server.init();
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                        .withUserAgent(FIXTURES)
                        .build())
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : new Process[] {agent, controller}) {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
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
        controller = start(container, "controller", Map.of(), Map.of());

        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertThat(controller.isAlive())
                                .as("the controller exited: " + log())
                                .isTrue();
                        return !plans().isEmpty() && plans().get(0).getStatus() != null;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no DryRun plan within 120 s; the controller's log:\n" + log(), e);
        }

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

    /**
     * {@code certificates.mode=builtin}: the controller started from the rendered Deployment makes the CA and its own
     * identity; the agent started from the rendered DaemonSet makes its key, asks for its certificate with its pod's
     * token and serves with it; then the controller's identity calls the agent over mutual TLS. Every request of
     * both is granted by the rendered RBAC, the API server's checks on the signer name included.
     */
    @Test
    void withBuiltinCertificatesTheAgentEnrolsAndTheControllerCallsItOverMutualTls() throws Exception {
        int agentPort = freePort();
        List<HasMetadata> manifests = Chart.withDefaults()
                .set("policy.hook", "false")
                .set("liveMigration.enabled", "true")
                .set("certificates.mode", "builtin")
                .set("agent.port", String.valueOf(agentPort))
                .set("agent.stateDir", tmp.resolve("state").toString())
                .set("agent.runcRoot", tmp.resolve("runc").toString())
                .render();
        threeHalfEmptyNodes();
        client.nodes()
                .withName(AGENT_NODE)
                .edit(n -> new NodeBuilder(n)
                        .editOrNewStatus()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress("127.0.0.1")
                        .endAddress()
                        .endStatus()
                        .build());
        apply(manifests);
        // the bound token of the agent's pod on node-1, as the API server reads it
        api.token(
                "agent-pod-token",
                new CsrApiStandIn.Requester(
                        "system:serviceaccount:" + Chart.NAMESPACE + ":kompact-agent",
                        Map.of(AgentCertificates.NODE_NAME_EXTRA, List.of(AGENT_NODE))));
        Path controllerTls = Files.createDirectories(tmp.resolve("controller-tls"));
        controller = start(
                Chart.only(manifests, Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0),
                "controller",
                Map.of(),
                Map.of("/var/run/kompact/tls", controllerTls));

        // the kubelet starts the agent once the CA's ConfigMap exists, with its data in the volume
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(controller.isAlive())
                            .as("the controller exited: " + log())
                            .isTrue();
                    return client.configMaps()
                                    .inNamespace(Chart.NAMESPACE)
                                    .withName("kompact-ca")
                                    .get()
                            != null;
                });
        Path agentCa = Files.createDirectories(tmp.resolve("agent-ca"));
        Files.writeString(
                agentCa.resolve("ca.crt"),
                client.configMaps()
                        .inNamespace(Chart.NAMESPACE)
                        .withName("kompact-ca")
                        .get()
                        .getData()
                        .get("ca.crt"));
        agent = start(
                Chart.only(manifests, DaemonSet.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0),
                "agent",
                Map.of("KUBERNETES_AUTH_TOKEN", "agent-pod-token"),
                Map.of("/etc/kompact/tls", tmp.resolve("agent-tls"), "/etc/kompact/ca", agentCa));
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(agent.isAlive())
                            .as("the agent exited: " + log("agent"))
                            .isTrue();
                    return log("agent").contains("listening on " + agentPort);
                });

        TlsFiles controllerIdentity = new TlsFiles(
                controllerTls.resolve("tls.crt"), controllerTls.resolve("tls.key"), controllerTls.resolve("ca.crt"));
        assertThat(PeerIdentity.of(controllerIdentity.certificate())).contains(PeerIdentity.controllerIdentity());
        ManagedChannel channel = controllerIdentity.channelTo("127.0.0.1:" + agentPort);
        try {
            var stub = NodeAgentGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertThat(stub.capabilities(CapabilitiesRequest.getDefaultInstance())
                            .getNodeName())
                    .isEqualTo(AGENT_NODE);
            // a call only the controller may make: refused as unknown, not as unauthorized
            assertThatThrownBy(() -> stub.getMigration(GetMigrationRequest.newBuilder()
                            .setMigrationId("none")
                            .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        X509Certificate served = servedCertificate(controllerIdentity.sslContext(), agentPort);
        assertThat(PeerIdentity.of(served)).contains(PeerIdentity.agentOf(AGENT_NODE));
        assertThat(served.getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .contains("127.0.0.1");

        RenderedRbac controllerRbac = new RenderedRbac(manifests, "kompact-controller", Chart.NAMESPACE);
        RenderedRbac agentRbac = new RenderedRbac(manifests, "kompact-agent", Chart.NAMESPACE);
        List<String> denied = new ArrayList<>();
        int agentRequests = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            ApiRequest seen = ApiRequest.of(request.getMethod(), request.getPath());
            if (FIXTURES.equals(request.getHeader("User-Agent")) || !seen.isResource()) {
                continue;
            }
            boolean fromAgent = "Bearer agent-pod-token".equals(request.getHeader("Authorization"));
            RenderedRbac rbac = fromAgent ? agentRbac : controllerRbac;
            agentRequests += fromAgent ? 1 : 0;
            List<ApiRequest> checked = new ArrayList<>(List.of(seen));
            checked.addAll(ApiRequest.signerChecks(seen, this::signerOf));
            for (ApiRequest check : checked) {
                if (!rbac.allows(check)) {
                    denied.add((fromAgent ? "agent: " : "controller: ") + check);
                }
            }
        }
        assertThat(agentRequests).as("requests of the agent").isGreaterThan(0);
        assertThat(denied).as("requests the rendered RBAC would refuse").isEmpty();
    }

    private String signerOf(String csr) {
        return client.certificates()
                .v1()
                .certificateSigningRequests()
                .withName(csr)
                .get()
                .getSpec()
                .getSignerName();
    }

    private static X509Certificate servedCertificate(SSLContext client, int port) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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

    /**
     * The container as the kubelet starts it: env with the downward API resolved, $(VAR) expanded in args, and each
     * volume mount's path replaced by a directory of the test's ({@code mounts}).
     */
    private Process start(Container container, String name, Map<String, String> extraEnv, Map<String, Path> mounts)
            throws Exception {
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
            String expanded = expand(arg, env);
            for (Map.Entry<String, Path> mount : mounts.entrySet()) {
                expanded = expanded.replace(mount.getKey(), mount.getValue().toString());
            }
            command.add(expanded);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
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
            case "spec.nodeName" -> AGENT_NODE;
            case "status.hostIP" -> "127.0.0.1";
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
        return log("controller");
    }

    private String log(String name) {
        try {
            return Files.readString(tmp.resolve(name + ".log"));
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
