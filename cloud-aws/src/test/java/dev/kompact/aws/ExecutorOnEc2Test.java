package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static dev.kompact.aws.Ec2Responses.fleet;
import static dev.kompact.aws.Ec2Responses.fleetError;
import static dev.kompact.aws.Ec2Responses.fleetInstance;
import static dev.kompact.aws.Ec2Responses.instance;
import static dev.kompact.aws.Ec2Responses.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.AlternativeOffering;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.execution.ExecutionListener;
import dev.kompact.executor.execution.ExecutorSettings;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.PlanCompiler;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.snapshot.SnapshotExporter;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.plan.AcceptableOfferings;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.Cost;
import dev.kompact.optimizer.plan.Decision;
import dev.kompact.optimizer.plan.ExecutionOrder;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.Utilization;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor with this provider against EC2 on WireMock and the fabric8 mock API server: a plan that replaces an
 * empty node launches through CreateFleet (falling back to the plan's alternatives when EC2 has no capacity for the
 * planned type), waits for the new instance's Node, and terminates the old instance.
 */
class ExecutorOnEc2Test {

    private static final String ZONE = "us-east-1a";

    private final LocalAws ec2 = new LocalAws();
    private final KubernetesMockServer server = new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();
    private KubernetesClient client;

    @AfterEach
    void stop() {
        kubelet.shutdownNow();
        client.close();
        server.destroy();
        ec2.close();
    }

    @Test
    void launchesAReplacementSeesItsNodeAndTerminatesTheFreedInstance() throws Exception {
        startCluster();
        ec2.answer(
                LocalAws.action("CreateFleet"),
                fleet("fleet-1", fleetInstance("i-0new111", "m5.xlarge", "subnet-a1", "on-demand"), ""));

        RebalancePlanResource done = run("p1");

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("provision-1").orElseThrow().nodeName).isEqualTo("ip-10-0-0-1.ec2.internal");
        assertThat(ec2.calls("CreateFleet"))
                .singleElement()
                .satisfies(call -> assertThat(call)
                        .containsEntry("LaunchTemplateConfigs.1.Overrides.1.InstanceType", "m5.xlarge")
                        .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand")
                        .containsEntry("TagSpecification.1.Tag.2.Value", "p1"));
        assertThat(ec2.calls("TerminateInstances"))
                .singleElement()
                .satisfies(call -> assertThat(call).containsEntry("InstanceId.1", "i-0old000"));
        assertThat(client.nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("ip-10-0-0-1.ec2.internal");
    }

    @Test
    void launchesThePlansFirstAlternativeWhenEc2HasNoCapacityForThePlannedType() throws Exception {
        startCluster();
        ec2.answer(
                LocalAws.action("CreateFleet").withRequestBody(containing("InstanceType=m5.xlarge")),
                fleet(
                        "fleet-1",
                        "",
                        fleetError("InsufficientInstanceCapacity", "m5.xlarge", "subnet-a1", "on-demand")));
        ec2.answer(
                LocalAws.action("CreateFleet").withRequestBody(notContaining("InstanceType=m5.xlarge")),
                fleet("fleet-2", fleetInstance("i-0new111", "m6i.xlarge", "subnet-a1", "on-demand"), ""));

        RebalancePlanResource done = run("p1");

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        AlternativeOffering alternative =
                done.getSpec().waves.get(0).steps.get(0).alternatives.get(0);
        StepStatus provision = done.getStatus().step("provision-1").orElseThrow();
        assertThat(provision.instanceType).isEqualTo(alternative.instanceType).isNotEqualTo("m5.xlarge");
        assertThat(provision.nodeName).isEqualTo("ip-10-0-0-1.ec2.internal");
        assertThat(ec2.calls("CreateFleet"))
                .hasSize(2)
                .last()
                .satisfies(call -> assertThat(call)
                        .containsEntry("LaunchTemplateConfigs.1.Overrides.1.InstanceType", alternative.instanceType));
        assertThat(client.v1().events().inAnyNamespace().list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage())
                        .contains("instead of the planned m5.xlarge in us-east-1a")
                        .contains("InsufficientInstanceCapacity"));
    }

    private void startCluster() {
        server.init();
        server.expectCustomResource(
                CustomResourceDefinitionContext.fromCustomResourceType(RebalancePlanResource.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(OptimizationPolicy.class));
        client = server.createClient();
        client.nodes().resource(node("old-1", "m5.2xlarge", "i-0old000")).create();
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0old000", "running", 16, "prod"));
        ec2.answer(LocalAws.action("TerminateInstances"), terminated("i-0old000"));
        joinClusterOnceLaunched("i-0new111");
    }

    private RebalancePlanResource run(String plan) throws Exception {
        createPlan(plan);
        try (Ec2CloudProvider provider = new Ec2CloudProvider(
                        ec2.aws(),
                        new Ec2ProviderSettings("prod", "lt-0abc", "3", Map.of(ZONE, List.of("subnet-a1")), false));
                Fabric8ClusterApi api = new Fabric8ClusterApi(client)) {
            return new PlanExecutor(
                            api,
                            provider,
                            Optional.empty(),
                            new Fabric8PlanStore(client),
                            CatalogSource.bundled(),
                            new ExecutorSettings(
                                    Duration.ofMillis(10),
                                    Duration.ofSeconds(20),
                                    Duration.ofSeconds(20),
                                    Duration.ofSeconds(20),
                                    Duration.ofSeconds(5),
                                    Duration.ofMillis(20),
                                    Duration.ofMillis(200)),
                            ExecutionListener.NONE,
                            Clock.systemUTC())
                    .run(plan, () -> true);
        }
    }

    /** Stands in for the instance booting and its kubelet registering the Node, as EC2 and EKS would. */
    private void joinClusterOnceLaunched(String instanceId) {
        kubelet.scheduleWithFixedDelay(
                () -> {
                    if (!ec2.calls("CreateFleet").isEmpty()
                            && client.nodes()
                                            .withName("ip-10-0-0-1.ec2.internal")
                                            .get()
                                    == null) {
                        client.nodes()
                                .resource(node("ip-10-0-0-1.ec2.internal", "m5.xlarge", instanceId))
                                .create();
                    }
                },
                20,
                20,
                TimeUnit.MILLISECONDS);
    }

    private void createPlan(String name) throws Exception {
        ClusterSnapshot snapshot = new SnapshotReader(InstanceCatalog.bundled())
                .read(new SnapshotExporter(client, InstanceCatalog.bundled()).export("prod"), "test cluster");
        AddedNode planned =
                new AddedNode("new-1", "m5.xlarge", ZONE, CapacityType.ON_DEMAND, new BigDecimal("0.192"), List.of());
        // the alternatives the planner gives a node its pods and the $0.192 saving allow
        List<AddedNode> added =
                List.of(planned.withAlternatives(AcceptableOfferings.of(planned, List.of(), 192_000, 1, snapshot)));
        Cost after = Cost.ofMicros(192_000);
        RebalancePlan plan = RebalancePlan.builder("test")
                .decision(new Decision(true, List.of()))
                .costs(Cost.ofMicros(384_000), after, new RebalancePlan.Savings(Cost.ofMicros(192_000), 50.0))
                .lowerBound(new LowerBoundEstimate(after, 0, "cpu"))
                .utilization(new Utilization(0.0, 0.0), new Utilization(0.0, 0.0))
                .nodesAdded(added)
                .nodesRemoved(List.of("old-1"))
                .waves(ExecutionOrder.of(List.of("new-1"), List.of(), List.of("old-1"), 1))
                .score("0hard/0medium/-1soft")
                .solveMillis(10)
                .build();
        RebalancePlanResource resource = new RebalancePlanResource();
        resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
        resource.setSpec(PlanCompiler.compile(plan, snapshot, "test", true, 1, 1));
        client.resources(RebalancePlanResource.class).resource(resource).create();
    }

    private static Node node(String name, String instanceType, String instanceId) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("node.kubernetes.io/instance-type", instanceType)
                .addToLabels("topology.kubernetes.io/zone", ZONE)
                .addToLabels("karpenter.sh/capacity-type", "on-demand")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("kubernetes.io/os", "linux")
                .endMetadata()
                .withNewSpec()
                .withProviderID("aws:///" + ZONE + "/" + instanceId)
                .endSpec()
                .withNewStatus()
                .addToAllocatable("cpu", new Quantity("3920m"))
                .addToAllocatable("memory", new Quantity("14Gi"))
                .addToAllocatable("pods", new Quantity("58"))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }
}
