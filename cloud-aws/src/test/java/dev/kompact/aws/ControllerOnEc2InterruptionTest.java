package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.controller.Controller;
import dev.kompact.executor.controller.ControllerCloud;
import dev.kompact.executor.controller.ControllerSettings;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.PlanExecutorSettings;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.plan.StepAction;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The controller on the fabric8 mock API server, with EC2 and SQS on WireMock: a spot interruption warning for one
 * of the cluster's nodes becomes a plan that moves the node's pods off it, the message is deleted once the plan
 * exists, and in Auto mode the plan is carried out down to terminating the instance.
 */
class ControllerOnEc2InterruptionTest {

    private final LocalAws aws = new LocalAws();
    private final SqsClient sqs = aws.aws().sqs();
    private final String queueUrl = "http://127.0.0.1:" + aws.server.port() + "/123456789012/kompact-interruptions";
    // the warning is fresh: a notice past its deadline is dropped as too late
    private final Instant warnedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private TestCluster cluster;
    private String spotInstance;

    @BeforeEach
    void clusterWithASpotNode() {
        cluster = new TestCluster(Duration.ofMillis(20));
        spotInstance = ProviderId.parse(
                        cluster.node("spot-1", "m5.2xlarge").getSpec().getProviderID())
                .orElseThrow()
                .instanceId();
        cluster.node("other-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-1", "spot-1");
        cluster.replicaPod("shop", "web", "web-2", "other-1");
    }

    @AfterEach
    void stop() {
        cluster.close();
        sqs.close();
        aws.close();
    }

    @Test
    void spotInterruptionBecomesAPlanMovingThePodsOffTheNodeAndIsDeletedOnceItExists() throws Exception {
        policy(PolicyMode.DryRun);
        delivers(spotWarning(spotInstance));

        try (Controller controller = controller(Optional.empty())) {
            controller.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !evacuations().isEmpty() && deleted() == 1);
        }

        RebalancePlanResource plan = evacuations().get(0);
        assertThat(plan.getSpec().evacuatedNode).isEqualTo("spot-1");
        assertThat(plan.getSpec().deadline).isEqualTo(warnedAt.plusSeconds(120).toString());
        assertThat(plan.getSpec().waves.stream()
                        .flatMap(w -> w.steps.stream())
                        .filter(s -> s.action == StepAction.Move))
                .singleElement()
                .satisfies(move -> {
                    assertThat(move.pod).isEqualTo("shop/web-1");
                    assertThat(move.from).isEqualTo("spot-1");
                });
        assertThat(plan.getSpec().waves.stream()
                        .flatMap(w -> w.steps.stream())
                        .filter(s -> s.action == StepAction.Terminate))
                .extracting(s -> s.node)
                .containsExactly("spot-1");
        assertThat(plan.getStatus().reason).isEqualTo("DryRun");
    }

    @Test
    void inAutoModeCarriesTheEvacuationOutAndTerminatesTheInstance() throws Exception {
        policy(PolicyMode.Auto);
        delivers(spotWarning(spotInstance));
        aws.answer(
                LocalAws.action("DescribeInstances").withRequestBody(containing("InstanceId.1=" + spotInstance)),
                Ec2Responses.instance(spotInstance, "running", 16, "prod"));
        aws.answer(LocalAws.action("TerminateInstances"), Ec2Responses.terminated(spotInstance));

        try (Ec2CloudProvider provider = new Ec2CloudProvider(
                        aws.aws(),
                        new Ec2ProviderSettings(
                                "prod", "lt-0abc", "3", Map.of(TestCluster.ZONE, List.of("subnet-a1")), false));
                Controller controller = controller(Optional.of(provider))) {
            controller.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            !evacuations().isEmpty() && evacuations().get(0).isFinished());
        }

        RebalancePlanResource plan = evacuations().get(0);
        assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(aws.calls("TerminateInstances"))
                .singleElement()
                .satisfies(call -> assertThat(call).containsEntry("InstanceId.1", spotInstance));
        assertThat(cluster.podsOf("shop", "web"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("other-1"));
        assertThat(deleted()).isEqualTo(1);
    }

    @Test
    void plansOneEvacuationForARebalanceRecommendationAndTheInterruptionThatFollows() throws Exception {
        policy(PolicyMode.DryRun);
        delivers(event(InterruptionEvents.REBALANCE, spotInstance), spotWarning(spotInstance));

        try (Controller controller = controller(Optional.empty())) {
            controller.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> SqsResponses.deletedHandles(aws.server).size() == 2);
        }

        assertThat(evacuations())
                .singleElement()
                .satisfies(plan -> assertThat(plan.getSpec().evacuatedNode).isEqualTo("spot-1"));
        assertThat(SqsResponses.deletedHandles(aws.server)).containsExactlyInAnyOrder("handle-0", "handle-1");
    }

    @Test
    void neverEvacuatesOntoANodeWarnedOfInTheSameBatch() throws Exception {
        policy(PolicyMode.DryRun);
        // other-1 full: the only free room left is on spot-2, which goes away with spot-1
        for (int i = 3; i <= 8; i++) {
            cluster.replicaPod("shop", "web", "web-" + i, "other-1");
        }
        String secondSpot = ProviderId.parse(
                        cluster.node("spot-2", "m5.2xlarge").getSpec().getProviderID())
                .orElseThrow()
                .instanceId();
        delivers(spotWarning(spotInstance), spotWarning(secondSpot));

        try (Controller controller = controller(Optional.empty())) {
            controller.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> deleted() == 2);
        }

        assertThat(evacuations())
                .filteredOn(p -> "spot-1".equals(p.getSpec().evacuatedNode))
                .singleElement()
                .satisfies(plan -> assertThat(plan.getSpec().waves.stream()
                                .flatMap(w -> w.steps.stream())
                                .filter(s -> s.action == StepAction.Move))
                        .singleElement()
                        .satisfies(move -> assertThat(move.to).isNotIn("spot-2", "other-1")));
    }

    @Test
    void deletesANoticeForAnInstanceOfNoNodeWithoutPlanning() throws Exception {
        policy(PolicyMode.DryRun);
        delivers(spotWarning("i-0ffffffffffffffff"));

        try (Controller controller = controller(Optional.empty())) {
            controller.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> deleted() == 1);
        }

        assertThat(evacuations()).isEmpty();
    }

    @Test
    void keepsTheMessageWhenNoPlanCouldBeCreated() throws Exception {
        // no OptimizationPolicy: the controller cannot plan, so the notice must come back later
        delivers(spotWarning(spotInstance));

        try (Controller controller = controller(Optional.empty())) {
            controller.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> received() >= 2);
        }

        assertThat(evacuations()).isEmpty();
        assertThat(deleted()).isZero();
    }

    private Controller controller(Optional<CloudProvider> provider) {
        ControllerSettings settings = new ControllerSettings(
                "default",
                "prod",
                "solo",
                "default",
                ControllerSettings.LEASE_NAME,
                Duration.ofSeconds(2),
                Duration.ofMillis(1500),
                Duration.ofMillis(200),
                0,
                0,
                PlanExecutorSettings.FAST);
        return new Controller(
                cluster.client(),
                settings,
                new ControllerCloud(
                        provider, CatalogSource.bundled(), Optional.of(new InterruptionQueue(sqs, queueUrl))),
                Optional.empty(),
                new PrometheusRegistry());
    }

    /** A policy whose savings gate no regular round passes here, so any plan comes from the interruption. */
    private void policy(PolicyMode mode) {
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        spec.mode = mode;
        spec.interval = "1h";
        spec.solverTimeLimit = "2s";
        spec.savings.minDollarsPerHour = java.math.BigDecimal.valueOf(1000);
        policy.setSpec(spec);
        cluster.client().resources(OptimizationPolicy.class).resource(policy).create();
    }

    private List<RebalancePlanResource> evacuations() {
        return cluster.client().resources(RebalancePlanResource.class).list().getItems().stream()
                .filter(p -> p.getSpec().evacuatedNode != null)
                .toList();
    }

    private String spotWarning(String instanceId) {
        return event(InterruptionEvents.SPOT_INTERRUPTION, instanceId);
    }

    private String event(String detailType, String instanceId) {
        return "{\"version\":\"0\",\"id\":\"1e5527d7-bb36-4607-3370-4164db56a40e\",\"detail-type\":\""
                + detailType + "\",\"source\":\"aws.ec2\",\"account\":\"123456789012\",\"time\":\""
                + warnedAt + "\",\"region\":\"us-east-1\",\"resources\":[\"arn:aws:ec2:us-east-1a:instance/"
                + instanceId
                + "\"],\"detail\":{\"instance-id\":\"" + instanceId + "\",\"instance-action\":\"terminate\"}}";
    }

    /**
     * ReceiveMessage gets the messages again until one is deleted, as SQS redelivers after the visibility timeout
     * (here at once), then nothing, after a pause that stands in for the long poll.
     */
    private void delivers(String... bodies) throws Exception {
        aws.server.stubFor(SqsResponses.sqs("ReceiveMessage")
                .inScenario("queue")
                .whenScenarioStateIs(STARTED)
                .willReturn(LocalAws.json(SqsResponses.messages(bodies)).withFixedDelay(100)));
        aws.server.stubFor(SqsResponses.sqs("DeleteMessage")
                .inScenario("queue")
                .willReturn(LocalAws.json("{}"))
                .willSetStateTo("empty"));
        aws.server.stubFor(SqsResponses.sqs("ReceiveMessage")
                .inScenario("queue")
                .whenScenarioStateIs("empty")
                .willReturn(LocalAws.json("{}").withFixedDelay(200)));
    }

    private int deleted() throws Exception {
        return SqsResponses.deletedHandles(aws.server).size();
    }

    private int received() {
        return aws.server
                .findAll(postRequestedFor(urlEqualTo("/"))
                        .withHeader("X-Amz-Target", equalTo("AmazonSQS.ReceiveMessage")))
                .size();
    }
}
