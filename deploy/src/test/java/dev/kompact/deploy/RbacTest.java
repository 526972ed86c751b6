package dev.kompact.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.executor.certificates.AgentCertificates;
import dev.kompact.executor.certificates.BuiltinCertificates;
import dev.kompact.executor.certificates.CertificateEnrollment;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.InterruptionNotice;
import dev.kompact.executor.cloud.InterruptionNotices;
import dev.kompact.executor.controller.Controller;
import dev.kompact.executor.controller.ControllerCloud;
import dev.kompact.executor.controller.ControllerSettings;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.PlanExecutorSettings;
import dev.kompact.executor.testing.CsrApiStandIn;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven: the controller runs the flows it has against the test API server (two replicas electing a
 * leader, reporting a DryRun plan and handing the Lease over; Auto carrying a plan out through a cloud after cleaning
 * a taint a stopped plan left; evacuating a node the cloud announced the end of; signing the agents' certificates
 * with two replicas starting). Every request it makes, and every request the agents make to enrol, is recorded, and
 * each must be allowed by the rules the chart renders for its service account, the API server's own checks on the
 * signer name included; a rule no request needed fails the test too.
 */
class RbacTest {

    private static final String USER_AGENT = "kompact-controller-under-test";
    private static final String AGENT_USER_AGENT = "kompact-agent-under-test";

    @Test
    void everyRequestOfTheControllerIsGrantedByTheChartAndEveryGrantIsUsed() throws Exception {
        // live migration with built-in certificates renders every rule the default install has, and the signer's
        List<HasMetadata> manifests = Chart.withDefaults()
                .set("liveMigration.enabled", "true")
                .set("certificates.mode", "builtin")
                .render();
        RenderedRbac rbac = new RenderedRbac(manifests, "kompact-controller", Chart.NAMESPACE);
        RenderedRbac agentRbac = new RenderedRbac(manifests, "kompact-agent", Chart.NAMESPACE);
        List<ApiRequest> requests = new ArrayList<>();
        List<ApiRequest> agentRequests = new ArrayList<>();

        requests.addAll(twoReplicasReportADryRunPlan());
        requests.addAll(autoCarriesAPlanOutAfterCleaningALeftoverTaint());
        requests.addAll(anAnnouncedInterruptionIsEvacuated());
        agentsEnrolWithTheControllersSigner(requests, agentRequests);
        List<String> agentDenied = agentRequests.stream()
                .filter(r -> !agentRbac.allows(r))
                .map(ApiRequest::toString)
                .toList();
        assertThat(agentRequests).as("requests of the agents").isNotEmpty();
        assertThat(agentDenied)
                .as("requests of the agents the chart's RBAC would refuse")
                .isEmpty();
        assertThat(agentRbac.unused())
                .as("rules of the agents no request needed")
                .isEmpty();

        Set<String> denied = new LinkedHashSet<>();
        Set<String> nonResource = new LinkedHashSet<>();
        for (ApiRequest request : requests) {
            if (!request.isResource()) {
                nonResource.add(request.toString());
            } else if (!rbac.allows(request)) {
                denied.add(request.toString());
            }
        }
        System.out.printf(
                "RbacTest: %d requests of the controller, all checked against the chart's rules%n", requests.size());
        assertThat(requests).as("requests recorded").hasSizeGreaterThan(50);
        assertThat(denied).as("requests the chart's RBAC would refuse").isEmpty();
        // discovery (/api, /version...) is granted to every account by the cluster's system:discovery role
        assertThat(nonResource).as("non-resource requests").allMatch(r -> r.matches("GET /(api|apis|version)/?"));
        // the pod handoff's rules: its flow needs node agents, which PodHandoffTest (executor) stands in for; no flow
        // here runs it, so these four alone may go unused, and ChartTest checks they come only with live migration
        assertThat(rbac.unused())
                .as("rules of the chart no request needed")
                .isSubsetOf("create pods", "patch pods", "delete pods", "patch pods/status");
    }

    private List<ApiRequest> twoReplicasReportADryRunPlan() throws Exception {
        try (TestCluster cluster = threeHalfEmptyNodes(PolicyMode.DryRun);
                KubernetesClient client = controllerClient(cluster)) {
            // no finished plan kept: the next leader's round deletes the first one
            cluster.client()
                    .resources(OptimizationPolicy.class)
                    .withName("default")
                    .edit(p -> {
                        p.getSpec().keepFinishedPlans = 0;
                        return p;
                    });
            try (Controller a = controller(client, "a", ControllerCloud.none());
                    Controller b = controller(client, "b", ControllerCloud.none())) {
                a.start();
                b.start();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> plans(cluster).size() == 1
                                && plans(cluster).get(0).getStatus() != null);
                Controller leader = a.isLeading() ? a : b;
                Controller follower = leader == a ? b : a;
                String first = plans(cluster).get(0).getMetadata().getName();
                // the leader releases the Lease and the follower takes it over
                leader.close();
                await().atMost(Duration.ofSeconds(60)).until(follower::isLeading);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> plans(cluster).stream()
                                .noneMatch(p -> p.getMetadata().getName().equals(first)));
            }
            return recorded(cluster);
        }
    }

    private List<ApiRequest> autoCarriesAPlanOutAfterCleaningALeftoverTaint() throws Exception {
        try (TestCluster cluster = threeHalfEmptyNodes(PolicyMode.Auto);
                KubernetesClient client = controllerClient(cluster);
                InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20))) {
            cluster.client().nodes().withName("node-3").edit(n -> {
                n.getSpec()
                        .setTaints(List.of(new TaintBuilder()
                                .withKey(KompactApi.DISRUPTED_TAINT)
                                .withEffect("NoSchedule")
                                .build()));
                return n;
            });
            try (Controller controller = controller(client, "auto", cloudOf(cloud, Optional.empty()))) {
                controller.start();
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> plans(cluster).size() == 1
                                && plans(cluster).get(0).isFinished());
            }
            assertThat(plans(cluster).get(0).getStatus().phase).isEqualTo(PlanPhase.Succeeded);
            assertThat(cloud.terminated()).isNotEmpty();
            return recorded(cluster);
        }
    }

    private List<ApiRequest> anAnnouncedInterruptionIsEvacuated() throws Exception {
        try (TestCluster cluster = threeHalfEmptyNodes(PolicyMode.Auto);
                KubernetesClient client = controllerClient(cluster);
                InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20))) {
            QueuedNotices notices = new QueuedNotices();
            try (Controller controller = controller(client, "evacuator", cloudOf(cloud, Optional.of(notices)))) {
                controller.start();
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> plans(cluster).size() == 1
                                && plans(cluster).get(0).isFinished());
                String survivor = cluster.client()
                        .nodes()
                        .list()
                        .getItems()
                        .get(0)
                        .getSpec()
                        .getProviderID();
                notices.announce(new InterruptionNotice.SpotInterruption(
                        survivor.substring(survivor.lastIndexOf('/') + 1),
                        Instant.now().plusSeconds(120)));
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> plans(cluster).stream()
                                .anyMatch(p -> p.getSpec().evacuatedNode != null && p.isFinished()));
            }
            return recorded(cluster);
        }
    }

    /**
     * Two controller replicas start (the second finds the CA the first made); the agent of node-a enrols, once as its
     * token names its node and once as it names its pod; the agent of node-b asks for node-a's identity and is denied.
     */
    private void agentsEnrolWithTheControllersSigner(List<ApiRequest> controller, List<ApiRequest> agents)
            throws Exception {
        CsrApiStandIn api = new CsrApiStandIn();
        KubernetesMockServer server =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
        server.init();
        Path tmp = Files.createTempDirectory("rbac-certificates");
        try (KubernetesClient fixtures = server.createClient();
                KubernetesClient controllerClient = as(server, USER_AGENT, "controller");
                KubernetesClient agentClient = as(server, AGENT_USER_AGENT, "agent-a");
                KubernetesClient podTokenClient = as(server, AGENT_USER_AGENT, "agent-pod");
                KubernetesClient intruderClient = as(server, AGENT_USER_AGENT, "agent-b")) {
            for (String node : List.of("node-a", "node-b")) {
                fixtures.nodes()
                        .resource(TestCluster.nodeObject(node, "m5.large", "i-" + node, Map.of()))
                        .create();
            }
            String uid = fixtures.pods()
                    .inNamespace(Chart.NAMESPACE)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("kompact-agent-x1")
                            .endMetadata()
                            .withNewSpec()
                            .withNodeName("node-a")
                            .endSpec()
                            .build())
                    .create()
                    .getMetadata()
                    .getUid();
            String agentUser = "system:serviceaccount:" + Chart.NAMESPACE + ":kompact-agent";
            api.token("agent-a", onNode(agentUser, "node-a"));
            api.token("agent-b", onNode(agentUser, "node-b"));
            api.token(
                    "agent-pod",
                    new CsrApiStandIn.Requester(
                            agentUser,
                            Map.of(
                                    AgentCertificates.POD_NAME_EXTRA, List.of("kompact-agent-x1"),
                                    AgentCertificates.POD_UID_EXTRA, List.of(uid))));
            BuiltinCertificates.Settings settings = new BuiltinCertificates.Settings(
                    Chart.NAMESPACE,
                    "kompact-ca",
                    "kompact-agent",
                    Duration.ofHours(1),
                    new TlsFiles(tmp.resolve("tls.crt"), tmp.resolve("tls.key"), tmp.resolve("ca.crt")));
            try (BuiltinCertificates first =
                            new BuiltinCertificates(controllerClient, settings, () -> true, Duration.ofMillis(100));
                    BuiltinCertificates second =
                            new BuiltinCertificates(controllerClient, settings, () -> false, Duration.ofMillis(100))) {
                first.start();
                second.start();
                TlsFiles agentFiles =
                        new TlsFiles(tmp.resolve("agent/tls.crt"), tmp.resolve("agent/tls.key"), tmp.resolve("ca.crt"));
                new CertificateEnrollment(agentClient, "node-a", List.of(), agentFiles, Duration.ofHours(1))
                        .enrol(Duration.ofSeconds(30));
                new CertificateEnrollment(podTokenClient, "node-a", List.of(), agentFiles, Duration.ofHours(1))
                        .enrol(Duration.ofSeconds(30));
                assertThatThrownBy(() -> new CertificateEnrollment(
                                        intruderClient, "node-a", List.of(), agentFiles, Duration.ofHours(1))
                                .enrol(Duration.ofSeconds(30)))
                        .hasMessageContaining("denied");
            }
            RecordedRequest request;
            while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
                ApiRequest seen = ApiRequest.of(request.getMethod(), request.getPath());
                if (USER_AGENT.equals(request.getHeader("User-Agent"))) {
                    controller.add(seen);
                    controller.addAll(ApiRequest.signerChecks(
                            seen,
                            csr -> fixtures.certificates()
                                    .v1()
                                    .certificateSigningRequests()
                                    .withName(csr)
                                    .get()
                                    .getSpec()
                                    .getSignerName()));
                } else if (AGENT_USER_AGENT.equals(request.getHeader("User-Agent"))) {
                    agents.add(seen);
                }
            }
        } finally {
            server.destroy();
        }
    }

    private static CsrApiStandIn.Requester onNode(String user, String node) {
        return new CsrApiStandIn.Requester(user, Map.of(AgentCertificates.NODE_NAME_EXTRA, List.of(node)));
    }

    private static KubernetesClient as(KubernetesMockServer server, String userAgent, String token) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                        .withUserAgent(userAgent)
                        .withOauthToken(token)
                        .build())
                .build();
    }

    private static TestCluster threeHalfEmptyNodes(PolicyMode mode) {
        TestCluster cluster = new TestCluster(Duration.ofMillis(20));
        for (int i = 1; i <= 3; i++) {
            cluster.node("node-" + i, "m5.2xlarge");
            cluster.replicaPod("shop", "web", "web-" + i, "node-" + i);
        }
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        spec.mode = mode;
        spec.interval = "1h";
        spec.solverTimeLimit = "2s";
        policy.setSpec(spec);
        cluster.client().resources(OptimizationPolicy.class).resource(policy).create();
        return cluster;
    }

    /** The controller's own client, told apart from the fixtures' requests by its User-Agent. */
    private static KubernetesClient controllerClient(TestCluster cluster) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(cluster.client().getConfiguration())
                        .withUserAgent(USER_AGENT)
                        .build())
                .build();
    }

    private static Controller controller(KubernetesClient client, String identity, ControllerCloud cloud) {
        // the Lease in the release namespace, as the chart's --lease-namespace=$(POD_NAMESPACE) puts it
        ControllerSettings settings = new ControllerSettings(
                "default",
                "test",
                identity,
                Chart.NAMESPACE,
                ControllerSettings.LEASE_NAME,
                Duration.ofSeconds(2),
                Duration.ofMillis(1500),
                Duration.ofMillis(200),
                0,
                0,
                PlanExecutorSettings.FAST);
        return new Controller(client, settings, cloud, Optional.empty(), new PrometheusRegistry());
    }

    private static ControllerCloud cloudOf(CloudProvider provider, Optional<InterruptionNotices> notices) {
        return new ControllerCloud(Optional.of(provider), CatalogSource.bundled(), notices);
    }

    private static List<RebalancePlanResource> plans(TestCluster cluster) {
        return cluster.client().resources(RebalancePlanResource.class).list().getItems();
    }

    private static List<ApiRequest> recorded(TestCluster cluster) throws InterruptedException {
        List<ApiRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = cluster.server().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (USER_AGENT.equals(request.getHeader("User-Agent"))) {
                requests.add(ApiRequest.of(request.getMethod(), request.getPath()));
            }
        }
        return requests;
    }
}
