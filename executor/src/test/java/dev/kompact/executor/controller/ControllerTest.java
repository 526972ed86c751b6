package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.execution.ExecutionListener;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.execution.PlanExecutorSettings;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Controllers against the test API server, in dry-run mode: they plan and report, and touch nothing. */
class ControllerTest {

    TestCluster cluster;

    @BeforeEach
    void threeHalfEmptyNodes() {
        cluster = new TestCluster(Duration.ofMillis(20));
        for (int i = 1; i <= 3; i++) {
            cluster.node("node-" + i, "m5.2xlarge");
            cluster.replicaPod("shop", "web", "web-" + i, "node-" + i);
        }
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        spec.interval = "1h";
        spec.solverTimeLimit = "2s";
        policy.setSpec(spec);
        cluster.client().resources(OptimizationPolicy.class).resource(policy).create();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    Controller controller(String identity) {
        return controller(identity, Optional.empty(), new PrometheusRegistry());
    }

    Controller controller(String identity, Optional<CloudProvider> cloud, PrometheusRegistry registry) {
        ControllerSettings settings = new ControllerSettings(
                "default",
                "test",
                identity,
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
                new ControllerCloud(cloud, CatalogSource.bundled(), Optional.empty()),
                Optional.empty(),
                registry);
    }

    List<RebalancePlanResource> plans() {
        return cluster.client().resources(RebalancePlanResource.class).list().getItems();
    }

    @Test
    void onlyTheLeaderPlansAndTheOtherTakesOverWhenItStops() throws Exception {
        Controller a = controller("a");
        Controller b = controller("b");
        try {
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> plans().size() == 1);
            Controller leader = a.isLeading() ? a : b;
            Controller follower = leader == a ? b : a;
            assertThat(follower.isLeading()).isFalse();
            String leaderName = leader == a ? "a" : "b";
            assertThat(plans().get(0).getMetadata().getAnnotations()).containsEntry(KompactApi.CREATED_BY, leaderName);

            leader.close();

            await().atMost(Duration.ofSeconds(60)).until(follower::isLeading);
            await().atMost(Duration.ofSeconds(60)).until(() -> plans().size() == 2);
            assertThat(plans())
                    .extracting(p -> p.getMetadata().getAnnotations().get(KompactApi.CREATED_BY))
                    .containsExactlyInAnyOrder(leaderName, leader == a ? "b" : "a");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void leadershipComesBackAfterAnApiServerOutageAndPlansContinue() throws Exception {
        try (Controller controller = controller("survivor")) {
            controller.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> plans().size() == 1 && controller.isLeading());
            HttpClient http = HttpClient.newHttpClient();
            int health = controller.healthPort();

            // longer than the 2 s Lease: the renewal fails and fabric8's elector ends, as after 30 s with 15 s Leases
            cluster.outage(Duration.ofSeconds(6));

            await().atMost(Duration.ofSeconds(60)).until(controller::isLeading);
            // the loop of the new leadership runs a round at once: a second plan
            await().atMost(Duration.ofSeconds(60)).until(() -> plans().size() == 2);
            assertThat(get(http, health, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthFailsWhenThePlanningLoopDies() throws Exception {
        setMode(PolicyMode.Auto);
        CloudProvider dying = new CloudProvider() {
            @Override
            public dev.kompact.executor.cloud.LaunchedInstance launch(
                    dev.kompact.executor.cloud.LaunchRequest request) {
                throw new StackOverflowError("the planning loop dies");
            }

            @Override
            public void checkTerminable(String instanceId) {}

            @Override
            public void terminate(String instanceId) {}
        };
        Plans.create(
                cluster.client(),
                "launching",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("node-1"),
                        List.of(Plans.restart("shop/web-1", "node-1", "new-1"))),
                1,
                1);
        try (Controller controller = controller("doomed", Optional.of(dying), new PrometheusRegistry())) {
            controller.start();
            HttpClient http = HttpClient.newHttpClient();

            // the loop's death is the point here, not a failure of the test thread
            await().dontCatchUncaughtExceptions()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> get(http, controller.healthPort(), "/healthz").statusCode() == 503);
        }
    }

    @Test
    void aLeaderWhoseLeaseWasTakenWhileItWasPausedActsNoMore() throws Exception {
        setMode(PolicyMode.Auto);
        // every eviction is refused: the plan keeps retrying it, an action every few tens of milliseconds
        cluster.minAvailable("shop", "web", "web", 3);
        Plans.create(
                cluster.client(),
                "held",
                Plans.plan(List.of(), List.of(), List.of(Plans.restart("shop/web-1", "node-1", "node-2"))),
                1,
                1);
        // an elector that looks at its Lease every 3 s: for up to 3 s after losing it, it believes it leads, as a
        // process resuming from a pause does until its next renewal
        ControllerSettings slow = new ControllerSettings(
                "default",
                "test",
                "a",
                "default",
                ControllerSettings.LEASE_NAME,
                Duration.ofSeconds(10),
                Duration.ofSeconds(8),
                Duration.ofSeconds(3),
                0,
                0,
                PlanExecutorSettings.FAST);
        try (InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
                Controller a = new Controller(
                        cluster.client(),
                        slow,
                        new ControllerCloud(Optional.of(cloud), CatalogSource.bundled(), Optional.empty()),
                        Optional.empty(),
                        new PrometheusRegistry())) {
            a.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.evictions().requests() > 2);
            var lease = cluster.client().leases().inNamespace("default").withName(ControllerSettings.LEASE_NAME);
            var renewed = lease.get().getSpec().getRenewTime();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !renewed.equals(lease.get().getSpec().getRenewTime()));

            // right after a's renewal, b takes the Lease over, as if a had been paused past it
            lease.edit(l -> {
                l.getSpec().setHolderIdentity("b");
                l.getSpec().setRenewTime(java.time.ZonedDateTime.now());
                return l;
            });
            int before = cluster.evictions().requests();
            await().atMost(Duration.ofSeconds(30)).until(() -> !a.isLeading());

            // at most the one request already on its way when the Lease changed hands
            assertThat(cluster.evictions().requests() - before).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aPlanWhoseStepKeepsFailingFailsAndTheNextRoundPlans() throws Exception {
        setMode(PolicyMode.Auto);
        cluster.evictions().failWith(500);
        Plans.create(
                cluster.client(),
                "poisoned",
                Plans.plan(List.of(), List.of("node-1"), List.of(Plans.restart("shop/web-1", "node-1", "node-2"))),
                1,
                1);
        try (InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
                Controller controller = controller("next", Optional.of(cloud), new PrometheusRegistry())) {
            controller.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> plans().size() == 2);
            assertThat(plan("poisoned").getStatus().phase).isEqualTo(PlanPhase.Failed);
            assertThat(plan("poisoned").getStatus().reason).isEqualTo("StepKeptFailing");
        }
    }

    @Test
    void leavesAPlanNoControllerCreatedAlone() throws Exception {
        setMode(PolicyMode.Auto);
        RebalancePlanResource handwritten = Plans.create(
                cluster.client(),
                "handwritten",
                Plans.plan(List.of(), List.of("node-1"), List.of(Plans.restart("shop/web-1", "node-1", "node-2"))),
                1,
                1);
        cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("handwritten")
                .edit(p -> {
                    p.getMetadata().getAnnotations().remove(KompactApi.CREATED_BY);
                    return p;
                });
        try (InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
                Controller controller = controller("picky", Optional.of(cloud), new PrometheusRegistry())) {
            controller.start();

            // the round goes on to a plan of its own, past the handwritten one
            await().atMost(Duration.ofSeconds(60)).until(() -> plans().size() == 2);
            assertThat(plan(handwritten.getMetadata().getName()).getStatus()).isNull();
        }
    }

    @Test
    void dryRunPlanIsReportedAndNothingIsTouched() throws Exception {
        try (Controller controller = controller("solo")) {
            controller.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> plans().size() == 1 && plans().get(0).getStatus() != null);

            RebalancePlanResource plan = plans().get(0);
            assertThat(plan.getSpec().execute).isFalse();
            assertThat(plan.getSpec().waves).isNotEmpty();
            assertThat(plan.getSpec().savings).startsWith("$");
            assertThat(plan.getStatus().phase).isEqualTo(PlanPhase.Pending);
            assertThat(plan.getStatus().reason).isEqualTo("DryRun");
            assertThat(cluster.client().nodes().list().getItems()).hasSize(3);
            assertThat(cluster.podsOf("shop", "web"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder("web-1", "web-2", "web-3");
            assertThat(cluster.client()
                            .v1()
                            .events()
                            .inNamespace("default")
                            .list()
                            .getItems())
                    .anyMatch(e -> e.getReason().equals("PlanCreated"));
        }
    }

    @Test
    void servesMetricsAndHealth() throws Exception {
        try (Controller controller = controller("metrics")) {
            controller.start();
            HttpClient http = HttpClient.newHttpClient();

            // the round ends, and counts itself, just after it writes the plan
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(get(http, controller.metricsPort(), "/metrics")
                                    .body())
                            .contains(
                                    "kompact_cluster_cost_dollars_per_hour",
                                    "kompact_plan_savings_dollars_per_hour",
                                    "kompact_plans_total{result=\"dry_run\"} 1.0",
                                    "kompact_solver_duration_seconds_count 1",
                                    "kompact_lower_bound_gap_ratio",
                                    "kompact_migration_duration_seconds",
                                    "kompact_nodes_terminated_total"));
            assertThat(get(http, controller.healthPort(), "/healthz").statusCode())
                    .isEqualTo(200);
            assertThat(get(http, controller.healthPort(), "/readyz").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void autoModeCarriesThePlanOutThroughTheCloud() throws Exception {
        setMode(PolicyMode.Auto);
        try (InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
                Controller controller = controller("auto", Optional.of(cloud), new PrometheusRegistry())) {
            controller.start();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> plans().size() == 1 && plans().get(0).isFinished());

            RebalancePlanResource plan = plans().get(0);
            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            assertThat(new java.math.BigDecimal(plan.getStatus().costAfterPerHour))
                    .isLessThan(new java.math.BigDecimal(plan.getStatus().costBeforePerHour));
            assertThat(cloud.violations()).isEmpty();
            assertThat(cluster.podsOf("shop", "web")).hasSize(3).allMatch(Pods::isReady);
            // the plan is counted just after its journal says Succeeded
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(get(HttpClient.newHttpClient(), controller.metricsPort(), "/metrics")
                                            .body())
                                    .contains(
                                            "kompact_plans_total{result=\"succeeded\"} 1.0",
                                            "kompact_migrations_total{method=\"eviction\",result=\"succeeded\"}"));
        }
    }

    @Test
    void newLeaderFinishesThePlanItsPredecessorLeftHalfDone() throws Exception {
        setMode(PolicyMode.Auto);
        try (InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
                Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.client())) {
            Plans.create(
                    cluster.client(),
                    "left-over",
                    Plans.plan(
                            List.of(Plans.added("new-1")),
                            List.of("node-1"),
                            List.of(Plans.restart("shop/web-1", "node-1", "new-1"))),
                    1,
                    1);
            // the previous leader got as far as the new node and the taint, then lost its Lease
            new PlanExecutor(
                            api,
                            cloud,
                            Optional.empty(),
                            new Fabric8PlanStore(cluster.client()),
                            CatalogSource.bundled(),
                            PlanExecutorSettings.FAST,
                            ExecutionListener.NONE,
                            Clock.systemUTC())
                    .run("left-over", () -> !stepDone("left-over", "taint-1"));

            try (Controller controller = controller("next", Optional.of(cloud), new PrometheusRegistry())) {
                controller.start();
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> plan("left-over").isFinished());
            }

            assertThat(plan("left-over").getStatus().phase).isEqualTo(PlanPhase.Succeeded);
            assertThat(cloud.violations()).isEmpty();
        }
    }

    @Test
    void putsNodesLeftTaintedByAStoppedPlanBackIntoService() throws Exception {
        cluster.client().nodes().withName("node-3").edit(n -> {
            n.getSpec()
                    .setTaints(List.of(new TaintBuilder()
                            .withKey(KompactApi.DISRUPTED_TAINT)
                            .withEffect("NoSchedule")
                            .build()));
            return n;
        });
        try (Controller controller = controller("cleaner")) {
            controller.start();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !Nodes.hasTaint(
                            cluster.client().nodes().withName("node-3").get(), KompactApi.DISRUPTED_TAINT));
        }
    }

    @Test
    void putsNodesLeftTaintedBackIntoServiceEveryRoundNotOnlyOnGainingLeadership() throws Exception {
        cluster.client().resources(OptimizationPolicy.class).withName("default").edit(p -> {
            p.getSpec().interval = "1s";
            return p;
        });
        try (Controller controller = controller("cleaner")) {
            controller.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> controller.isLeading() && plans().size() >= 1);

            // as a plan deleted while it held node-3 leaves it
            cluster.client().nodes().withName("node-3").edit(n -> {
                n.getSpec()
                        .setTaints(List.of(new TaintBuilder()
                                .withKey(KompactApi.DISRUPTED_TAINT)
                                .withEffect("NoSchedule")
                                .build()));
                return n;
            });

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !Nodes.hasTaint(
                            cluster.client().nodes().withName("node-3").get(), KompactApi.DISRUPTED_TAINT));
        }
    }

    private void setMode(PolicyMode mode) {
        cluster.client().resources(OptimizationPolicy.class).withName("default").edit(p -> {
            p.getSpec().mode = mode;
            return p;
        });
    }

    private RebalancePlanResource plan(String name) {
        return cluster.client()
                .resources(RebalancePlanResource.class)
                .withName(name)
                .get();
    }

    private boolean stepDone(String plan, String step) {
        RebalancePlanResource current = plan(plan);
        return current.getStatus() != null
                && current.getStatus()
                        .step(step)
                        .map(s -> s.state == StepState.Succeeded)
                        .orElse(false);
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
