package dev.kompact.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.controller.ControllerCloud;
import dev.kompact.executor.controller.ControllerMain;
import dev.kompact.executor.controller.ControllerSettings;
import dev.kompact.executor.controller.LiveMigration;
import dev.kompact.executor.crd.HandoffPhase;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.SpotPolicy;
import dev.kompact.executor.execution.ExecutorSettings;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14's end-to-end test: the shipped controller ({@link ControllerMain#start}, as {@code kompact controller
 * --live-migration} wires it) with an Auto policy consolidates a cluster whose nodes are real: each an agent process,
 * a containerd with the runc v2 shim, the CNI bridge and the kompact-restore runtime, and a kubelet ({@link
 * CriKubelet}) that runs the Pods bound to it through CRI. The API server is the fabric8 mock with a ReplicaSet
 * controller, a scheduler and the eviction subresource stood in ({@link TestCluster}); the cloud terminates
 * instances in memory. Needs root and install-test-deps.sh (containerd, CNI plugins, CRIU).
 */
@Tag("criu")
class LiveMigrationEndToEndTest {
    private static final Logger log = LoggerFactory.getLogger(LiveMigrationEndToEndTest.class);
    private static final String NAMESPACE = "shop";
    private static final String AGENTS = "kompact";
    private static final String AGENT_SELECTOR = "app.kubernetes.io/component=agent";
    private static final String SERVER = "exec nc -l -p " + CounterPod.PORT + " -e /bin/counter";
    private static final String SIDECAR = "while true; do sleep 1; done";
    private static final Duration PLAN_DONE = Duration.ofMinutes(2);
    private static final ch.qos.logback.classic.Logger KOMPACT_LOG =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.kompact");

    @TempDir
    static Path workDir;

    static EmulatedCluster nodes;
    static TestCluster api;
    static InMemoryCloud cloud;
    static final List<CriKubelet> kubelets = new ArrayList<>();
    static final Map<String, ContainerdNode> emulated = new ConcurrentHashMap<>();
    static Watch agentDaemonSet;
    /** The node every plan keeps (the cheapest, m5.large) and moves pods to. */
    static ContainerdNode b;

    @BeforeAll
    static void startCluster() throws Exception {
        var missing = HostTools.containerdMissing();
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        // the controller's plan and steps, and this test's figures, in the -output.txt; the bundled level is WARN
        KOMPACT_LOG.setLevel(Level.INFO);
        nodes = EmulatedCluster.create(workDir);
        api = TestCluster.withoutKubelet();
        cloud = new InMemoryCloud(api.client(), Duration.ofMillis(20));
        agentDaemonSet = api.client().nodes().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node node) {
                ContainerdNode emulatedNode = emulated.get(node.getMetadata().getName());
                if (action == Action.ADDED && emulatedNode != null) {
                    api.client().pods().resource(agentPod(emulatedNode)).create();
                } else if (action == Action.DELETED && emulatedNode != null) {
                    // as Kubernetes' pod garbage collector removes the pods of a deleted node
                    api.client()
                            .pods()
                            .inNamespace(AGENTS)
                            .withName(agentPod(emulatedNode).getMetadata().getName())
                            .delete();
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        spec.mode = PolicyMode.Auto;
        spec.interval = "1h";
        // the whole plan's limit: under a load of 16 on 2 cores, 3 s left the search no time to find the move
        spec.solverTimeLimit = "20s";
        // none it may launch is cheaper than node B (m5.large): the plan keeps B, which runs an agent
        spec.instanceTypes = List.of("m5.xlarge");
        spec.spot = SpotPolicy.Never;
        policy.setSpec(spec);
        api.client().resources(OptimizationPolicy.class).resource(policy).create();
        b = node("node-b", "10.213.0.50", "m5.large", "i-0b1");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        KOMPACT_LOG.setLevel(null);
        if (agentDaemonSet != null) {
            agentDaemonSet.close();
        }
        kubelets.forEach(CriKubelet::close);
        if (cloud != null) {
            cloud.close();
        }
        if (api != null) {
            api.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void theControllerMovesAPodLiveToTheNodeItKeepsAndTerminatesTheOther() throws Exception {
        ContainerdNode a = node("node-a", "10.213.0.10", "m5.4xlarge", "i-0a1");
        String replicaSet = api.replicaSet(NAMESPACE, "web");
        Pod source = runPod(replicaPod("web-1", "web", replicaSet, a.name(), true));
        int evictionsBefore = api.evictions().requests();
        int replacementsBefore = api.replacementsCreated();
        try (ReplicaSetWatch watch = new ReplicaSetWatch(replicaSet, "web-");
                CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            client.resetLongestPause();

            RebalancePlanResource plan = runController();

            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            client.awaitMoreExchanges(20, 10_000);
            assertThat(client.error()).as("the client's connection").isNull();
            assertThat(client.lastCounter())
                    .as("the same connection, the counter continued in the migrated memory")
                    .isGreaterThan(before + 20);
            log.info("the client's longest pause: {} ms", client.longestPauseMillis());
            List<Pod> owned = watch.owned();
            assertThat(owned).singleElement().satisfies(pod -> {
                assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                assertThat(Pods.isReady(pod)).isTrue();
                assertThat(pod.getMetadata().getUid())
                        .isNotEqualTo(source.getMetadata().getUid());
            });
            assertThat(watch.mostReady())
                    .as("most pods of the ReplicaSet Ready at once")
                    .isEqualTo(1);
            assertThat(watch.fewestPods())
                    .as("fewest pods of the ReplicaSet at once")
                    .isEqualTo(1);
            awaitTrue(
                    "no container of the source pod runs on " + a.name(),
                    () -> a.kubelet()
                            .runningContainers(source.getMetadata().getUid())
                            .isEmpty());
            assertThat(api.client().nodes().withName(a.name()).get())
                    .as("node A")
                    .isNull();
            assertThat(cloud.terminated()).contains("i-0a1").doesNotContain("i-0b1");
            assertThat(cloud.launchedCount()).isZero();
            assertThat(cloud.violations()).isEmpty();
            assertThat(api.evictions().requests() - evictionsBefore)
                    .as("evictions")
                    .isZero();
            assertThat(api.replacementsCreated() - replacementsBefore)
                    .as("pods the ReplicaSet created")
                    .isZero();
        }
    }

    @Test
    void aPodThatDidNotOptInIsEvictedNotMigrated() throws Exception {
        ContainerdNode d = node("node-d", "10.213.0.90", "m5.4xlarge", "i-0d1");
        String replicaSet = api.replicaSet(NAMESPACE, "plain");
        Pod source = runPod(replicaPod("plain-1", "plain", replicaSet, d.name(), false));
        int evictionsBefore = api.evictions().requests();

        RebalancePlanResource plan = runController();

        assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(api.evictions().requests() - evictionsBefore).as("evictions").isEqualTo(1);
        List<Pod> plain = api.client().pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> Pods.controller(p)
                        .map(o -> replicaSet.equals(o.getUid()))
                        .orElse(false))
                .toList();
        assertThat(plain).singleElement().satisfies(pod -> {
            assertThat(pod.getMetadata().getName())
                    .as("the ReplicaSet's replacement")
                    .isNotEqualTo("plain-1");
            assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
            assertThat(pod.getSpec().getRuntimeClassName())
                    .as("no restore runtime")
                    .isNull();
            assertThat(Pods.isReady(pod)).isTrue();
        });
        assertThat(api.client().pods().inNamespace(NAMESPACE).list().getItems())
                .as("no handoff target")
                .noneMatch(p -> p.getMetadata().getName().startsWith("plain-1-h"));
        awaitTrue(
                "no container of the evicted pod runs on " + d.name(),
                () -> d.kubelet()
                        .runningContainers(source.getMetadata().getUid())
                        .isEmpty());
        assertThat(cloud.terminated()).contains("i-0d1");
    }

    /**
     * The target's agent refuses the image (a container adding CAP_SYS_ADMIN is never restored, docs/security.md): the
     * source pod runs on, the target pod object is deleted, and the move falls back to an eviction.
     */
    @Test
    void aRestoreTheTargetRefusesRollsBackAndTheMoveFallsBackToAnEviction() throws Exception {
        ContainerdNode e = node("node-e", "10.213.0.130", "m5.4xlarge", "i-0e1");
        String replicaSet = api.replicaSet(NAMESPACE, "capped");
        Pod source = runPod(replicaPod("capped-1", "capped", replicaSet, e.name(), true, List.of("SYS_ADMIN")));
        int evictionsBefore = api.evictions().requests();
        try (ReplicaSetWatch watch = new ReplicaSetWatch(replicaSet, "capped-")) {

            RebalancePlanResource plan = runController();

            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            assertThat(plan.getStatus().step("move-1").orElseThrow().message)
                    .contains(
                            "rolled_back", "CAP_SYS_ADMIN", "runs on node " + e.name() + " again", "evicting instead");
            String target = watch.seen().stream()
                    .filter(n -> n.startsWith("capped-1-h"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target pod was made: " + watch.seen()));
            assertThat(api.client()
                            .pods()
                            .inNamespace(NAMESPACE)
                            .withName(target)
                            .get())
                    .as("the target pod")
                    .isNull();
            assertThat(api.evictions().requests() - evictionsBefore)
                    .as("evictions")
                    .isEqualTo(1);
            assertThat(watch.owned()).singleElement().satisfies(pod -> {
                assertThat(pod.getMetadata().getName())
                        .isNotEqualTo(source.getMetadata().getName());
                assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
                assertThat(Pods.isReady(pod)).isTrue();
            });
            assertThat(cloud.terminated()).contains("i-0e1");
        }
    }

    /**
     * The controller stops while a live move's handoff is at {@code phase} (persisted, its next write not yet made:
     * once stopped, it no longer leads and every write is refused), and another replica takes over the plan. It
     * resumes the handoff from the persisted phase with the real agents (a target pod made before is found, not made
     * twice; a migration asked for before is asked about, not started again): one pod, on B, the connection kept,
     * never two copies Ready, nothing evicted. Freezing is where the outcome is the agents' to tell.
     */
    @ParameterizedTest
    @EnumSource(
            value = HandoffPhase.class,
            names = {"Target", "Freezing"})
    void aControllerStoppedMidHandoffIsResumedByTheNextReplicaWithOnePod(HandoffPhase phase) throws Exception {
        String app = "resumed-" + phase.name().toLowerCase();
        String instanceId = phase == HandoffPhase.Target ? "i-0f1" : "i-0g1";
        ContainerdNode x = phase == HandoffPhase.Target
                ? node("node-f", "10.213.0.170", "m5.4xlarge", instanceId)
                : node("node-g", "10.213.0.210", "m5.4xlarge", instanceId);
        String replicaSet = api.replicaSet(NAMESPACE, app);
        Pod source = runPod(replicaPod(app + "-1", app, replicaSet, x.name(), true));
        int evictionsBefore = api.evictions().requests();
        int replacementsBefore = api.replacementsCreated();
        try (ReplicaSetWatch watch = new ReplicaSetWatch(replicaSet, app + "-");
                CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            int plansBefore = plans().size();

            try (ControllerMain.Running first = startController("kompact-e2e")) {
                awaitPlan(
                                plansBefore,
                                plan -> plan.getStatus() != null
                                        && plan.getStatus().steps.stream().anyMatch(step -> step.handoff == phase))
                        .orElseThrow(() -> new AssertionError("no handoff reached " + phase + ": " + plans()));
            }
            RebalancePlanResource plan;
            try (ControllerMain.Running second = startController("kompact-e2e-2")) {
                plan = awaitPlan(plansBefore, RebalancePlanResource::isFinished)
                        .orElseThrow(() -> new AssertionError("the plan did not finish after the restart"));
            }

            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            client.awaitMoreExchanges(20, 10_000);
            assertThat(client.error()).as("the client's connection").isNull();
            assertThat(client.lastCounter()).as("the counter continued").isGreaterThan(before + 20);
            log.info("stopped at {}: the client's longest pause {} ms", phase, client.longestPauseMillis());
            assertThat(watch.owned()).singleElement().satisfies(pod -> {
                assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
                assertThat(Pods.isReady(pod)).isTrue();
            });
            assertThat(watch.seen())
                    .as("one target pod made")
                    .filteredOn(n -> n.startsWith(app + "-1-h"))
                    .hasSize(1);
            assertThat(watch.mostReady()).as("most pods Ready at once").isEqualTo(1);
            assertThat(watch.fewestPods()).as("fewest pods of the ReplicaSet").isEqualTo(1);
            awaitTrue(
                    "no container of the source pod runs on " + x.name(),
                    () -> x.kubelet()
                            .runningContainers(source.getMetadata().getUid())
                            .isEmpty());
            assertThat(api.evictions().requests() - evictionsBefore)
                    .as("evictions")
                    .isZero();
            assertThat(api.replacementsCreated() - replacementsBefore)
                    .as("pods the ReplicaSet created")
                    .isZero();
            assertThat(cloud.terminated()).contains(instanceId).doesNotContain("i-0b1");
            assertThat(cloud.violations()).isEmpty();
        }
    }

    /** An emulated node and its Node object: ready, with an AWS instance, labelled for the agent DaemonSet. */
    private static ContainerdNode node(String name, String rangeStart, String instanceType, String instanceId)
            throws Exception {
        ContainerdNode node = nodes.startContainerdNode(name, rangeStart);
        kubelets.add(new CriKubelet(api.client(), node));
        emulated.put(name, node);
        api.client()
                .nodes()
                .resource(TestCluster.nodeObject(
                        name, instanceType, instanceId, Map.of(WellKnownLabels.KOMPACT_AGENT, "true")))
                .create();
        return node;
    }

    /**
     * What the agent DaemonSet's controller makes for a node (the watch in {@link #startCluster} stands in for it): the agent's pod on the host network, Ready, its gRPC port
     * named as the chart names it. The agent itself is the emulated node's process.
     */
    private static Pod agentPod(ContainerdNode node) {
        String address = node.agent().address();
        int colon = address.lastIndexOf(':');
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(AGENTS)
                .withName("kompact-agent-" + node.name())
                .addToLabels("app.kubernetes.io/component", "agent")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("DaemonSet")
                .withName("kompact-agent")
                .withUid("ds-kompact-agent")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node.name())
                .withHostNetwork(true)
                .addNewContainer()
                .withName("agent")
                .withImage("kompact-agent")
                .addNewPort()
                .withName("grpc")
                .withContainerPort(Integer.parseInt(address.substring(colon + 1)))
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(address.substring(0, colon))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    /** A pod of the ReplicaSet with a counter server and a sidecar, bound to the node. */
    private static Pod replicaPod(String name, String app, String replicaSetUid, String node, boolean live) {
        return replicaPod(name, app, replicaSetUid, node, live, List.of());
    }

    /** @param serverCapabilities added to the server container's capabilities */
    private static Pod replicaPod(
            String name, String app, String replicaSetUid, String node, boolean live, List<String> serverCapabilities) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName(name)
                .addToLabels("app", app)
                .addToAnnotations(live ? Map.of(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true") : Map.of())
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName(app)
                .withUid(replicaSetUid)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("server")
                .withImage("counter")
                .withCommand("/bin/sh", "-c", SERVER)
                .withNewSecurityContext()
                .withNewCapabilities()
                .withAdd(serverCapabilities)
                .endCapabilities()
                .endSecurityContext()
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("64Mi"))
                .endResources()
                .endContainer()
                .addNewContainer()
                .withName("sidecar")
                .withImage("sidecar")
                .withCommand("/bin/sh", "-c", SIDECAR)
                .endContainer()
                .endSpec()
                .build();
    }

    /** Creates the pod and waits until its kubelet reports it Ready. */
    private static Pod runPod(Pod pod) {
        api.client().pods().resource(pod).create();
        String name = pod.getMetadata().getName();
        var resource = api.client().pods().inNamespace(NAMESPACE).withName(name);
        awaitTrue(name + " running on " + pod.getSpec().getNodeName(), () -> {
            Pod p = resource.get();
            return p.getStatus() != null && Pods.isReady(p) && p.getStatus().getPodIP() != null;
        });
        return resource.get();
    }

    /** Runs the shipped controller until the plan it makes has finished. */
    private static RebalancePlanResource runController() throws Exception {
        int plansBefore = plans().size();
        try (ControllerMain.Running controller = startController("kompact-e2e")) {
            return awaitPlan(plansBefore, RebalancePlanResource::isFinished)
                    .orElseThrow(() -> new AssertionError("no plan finished within " + PLAN_DONE + ": " + plans()));
        }
    }

    /** The shipped controller as {@code kompact controller --live-migration} wires it, as replica {@code identity}. */
    private static ControllerMain.Running startController(String identity) throws Exception {
        ControllerSettings settings = new ControllerSettings(
                "default",
                "e2e",
                identity,
                AGENTS,
                ControllerSettings.LEASE_NAME,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                0,
                0,
                new ExecutorSettings(
                        Duration.ofMillis(50),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30)));
        return ControllerMain.start(
                api.client(),
                settings,
                new ControllerCloud(Optional.of(cloud), CatalogSource.bundled(), Optional.empty()),
                Optional.empty(),
                Optional.of(LiveMigration.issued(nodes.controllerTls(), AGENT_SELECTOR)),
                new PrometheusRegistry());
    }

    /** The newest plan made after the first {@code plansBefore}, once {@code until} holds for it (within PLAN_DONE). */
    private static Optional<RebalancePlanResource> awaitPlan(int plansBefore, Predicate<RebalancePlanResource> until)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + PLAN_DONE.toMillis();
        while (System.currentTimeMillis() < deadline) {
            List<RebalancePlanResource> plans = plans();
            if (plans.size() > plansBefore && until.test(plans.get(plans.size() - 1))) {
                RebalancePlanResource plan = plans.get(plans.size() - 1);
                log.info("plan {}: {}", plan.getMetadata().getName(), plan.getStatus().message);
                plan.getStatus().steps.forEach(s -> log.info("  {} {} {}: {}", s.id, s.state, s.handoff, s.message));
                return Optional.of(plan);
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    private static List<RebalancePlanResource> plans() {
        List<RebalancePlanResource> plans = new ArrayList<>(
                api.client().resources(RebalancePlanResource.class).list().getItems());
        plans.sort((x, y) ->
                x.getMetadata().getCreationTimestamp().compareTo(y.getMetadata().getCreationTimestamp()));
        return plans;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Every change to the namespace's pods, as a watch sees it: the most pods of the ReplicaSet (or named as its pods
     * are, as a handoff's target is) Ready at once, and the fewest of the ReplicaSet that exist (not being deleted).
     */
    private static final class ReplicaSetWatch implements AutoCloseable {
        private final String replicaSetUid;
        private final String namePrefix;
        private final Watch watch;
        private final List<Integer> ready = Collections.synchronizedList(new ArrayList<>());
        private final List<Integer> counted = Collections.synchronizedList(new ArrayList<>());
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        ReplicaSetWatch(String replicaSetUid, String namePrefix) {
            this.replicaSetUid = replicaSetUid;
            this.namePrefix = namePrefix;
            look();
            this.watch = api.client().pods().inNamespace(NAMESPACE).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    look();
                }

                @Override
                public void onClose(WatcherException cause) {}
            });
        }

        private void look() {
            List<Pod> pods = api.client().pods().inNamespace(NAMESPACE).list().getItems();
            // the ReplicaSet's pods and the handoff's target, named after its source
            ready.add((int) pods.stream()
                    .filter(p -> p.getMetadata().getName().startsWith(namePrefix))
                    .filter(Pods::isReady)
                    .count());
            counted.add(owned(pods).size());
            pods.forEach(p -> seen.add(p.getMetadata().getName()));
        }

        /** The names of every pod of the namespace the watch saw. */
        Set<String> seen() {
            return Set.copyOf(seen);
        }

        List<Pod> owned() {
            return owned(api.client().pods().inNamespace(NAMESPACE).list().getItems());
        }

        private List<Pod> owned(List<Pod> pods) {
            return pods.stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(p -> Pods.controller(p)
                            .map(o -> replicaSetUid.equals(o.getUid()))
                            .orElse(false))
                    .toList();
        }

        int mostReady() {
            synchronized (ready) {
                return ready.stream().mapToInt(Integer::intValue).max().orElse(0);
            }
        }

        int fewestPods() {
            synchronized (counted) {
                return counted.stream().mapToInt(Integer::intValue).min().orElse(0);
            }
        }

        @Override
        public void close() {
            watch.close();
        }
    }
}
