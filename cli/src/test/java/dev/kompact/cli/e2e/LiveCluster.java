package dev.kompact.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.controller.ControllerCloud;
import dev.kompact.executor.controller.ControllerMain;
import dev.kompact.executor.controller.ControllerSettings;
import dev.kompact.executor.controller.LiveMigration;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster the end-to-end tests run on: emulated nodes (an agent process, a containerd with the runc v2 shim, the
 * CNI bridge and the kompact-restore runtime, and a {@link CriKubelet}), the fabric8 mock with a ReplicaSet
 * controller, a scheduler and the eviction subresource stood in ({@link TestCluster}), the agent DaemonSet's pods,
 * and a cloud that terminates instances in memory. Needs root and install-test-deps.sh (containerd, CNI plugins,
 * CRIU).
 */
final class LiveCluster implements AutoCloseable {
    static final String NAMESPACE = "shop";
    static final String AGENTS = "kompact";
    static final String AGENT_SELECTOR = "app.kubernetes.io/component=agent";
    private static final String SERVER = "exec nc -l -p " + CounterPod.PORT + " -e /bin/counter";
    private static final String SIDECAR = "while true; do sleep 1; done";
    private static final Logger log = LoggerFactory.getLogger(LiveCluster.class);
    private static final Duration PLAN_DONE = Duration.ofMinutes(2);
    private static final ch.qos.logback.classic.Logger KOMPACT_LOG =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.kompact");

    /** The executor's settings in these tests: quick polls and backoffs, waits well above what a restore takes. */
    static final ExecutorSettings EXECUTOR = new ExecutorSettings(
            Duration.ofMillis(50),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    final EmulatedCluster nodes;
    final TestCluster api;
    final InMemoryCloud cloud;
    private final List<CriKubelet> kubelets = new ArrayList<>();
    private final Map<String, ContainerdNode> emulated = new ConcurrentHashMap<>();
    private final Map<String, String> instances = new ConcurrentHashMap<>();
    private final Watch agentDaemonSet;

    private LiveCluster(EmulatedCluster nodes, TestCluster api) {
        this.nodes = nodes;
        this.api = api;
        this.cloud = new InMemoryCloud(api.client(), Duration.ofMillis(20));
        this.agentDaemonSet = api.client().nodes().watch(new Watcher<>() {
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
    }

    static LiveCluster start(Path workDir) throws Exception {
        return start(workDir, List.of());
    }

    /** @param imageBinaries static binaries added to the containers' image, as /bin/NAME */
    static LiveCluster start(Path workDir, List<Path> imageBinaries) throws Exception {
        // the controller's plan and steps, and the tests' figures, in the -output.txt; the bundled level is WARN
        KOMPACT_LOG.setLevel(Level.INFO);
        EmulatedCluster nodes = EmulatedCluster.create(workDir).withImageBinaries(imageBinaries);
        try {
            return new LiveCluster(nodes, TestCluster.withoutKubelet());
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /**
     * An emulated node and its Node object: ready, with an AWS instance, labelled for the agent DaemonSet.
     *
     * @param rangeStart the first address its CNI hands out; a node's range spans 40 addresses of 10.213.0.0/24
     */
    ContainerdNode node(String name, String rangeStart, String instanceType, String instanceId) throws Exception {
        return node(name, rangeStart, 40, instanceType, instanceId);
    }

    /** @param addresses how many addresses from rangeStart the node's CNI hands out */
    ContainerdNode node(String name, String rangeStart, int addresses, String instanceType, String instanceId)
            throws Exception {
        ContainerdNode node = nodes.startContainerdNode(name, rangeStart, addresses);
        kubelets.add(new CriKubelet(api.client(), node));
        emulated.put(name, node);
        instances.put(name, instanceId);
        api.client()
                .nodes()
                .resource(TestCluster.nodeObject(
                        name, instanceType, instanceId, Map.of(WellKnownLabels.KOMPACT_AGENT, "true")))
                .create();
        return node;
    }

    /**
     * What the agent DaemonSet's controller makes for a node (the watch in the constructor stands in for it): the
     * agent's pod on the host network, Ready, its gRPC port named as the chart names it. The agent itself is the
     * emulated node's process.
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
    static Pod replicaPod(String name, String app, String replicaSetUid, String node, boolean live) {
        return replicaPod(name, app, replicaSetUid, node, live, List.of());
    }

    /** @param serverCapabilities added to the server container's capabilities */
    static Pod replicaPod(
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

    /**
     * The pod with its sidecar holding {@code mib} of memory and dirtying it at {@code dirtyRate} MiB/s (the memhog
     * binary, in the image when the cluster was started with it): its move takes seconds, most of them frozen.
     */
    static Pod withMemoryHog(Pod pod, int mib, int dirtyRate) {
        return new PodBuilder(pod)
                .editSpec()
                .editLastContainer()
                .withCommand("/bin/sh", "-c", "exec /bin/memhog " + mib + " " + dirtyRate)
                .withNewResources()
                .addToRequests("memory", new Quantity((mib + 16) + "Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    /** Creates the pod and waits until its kubelet reports it Ready. */
    Pod runPod(Pod pod) {
        api.client().pods().resource(pod).create();
        String name = pod.getMetadata().getName();
        var resource = api.client().pods().inNamespace(NAMESPACE).withName(name);
        awaitTrue(name + " running on " + pod.getSpec().getNodeName(), () -> {
            Pod p = resource.get();
            return p.getStatus() != null && Pods.isReady(p) && p.getStatus().getPodIP() != null;
        });
        return resource.get();
    }

    /** Watches the namespace's pods from now on, counting those of the ReplicaSet and those named {@code prefix}. */
    ReplicaSetWatch watch(String replicaSetUid, String namePrefix) {
        return new ReplicaSetWatch(api.client(), NAMESPACE, replicaSetUid, namePrefix);
    }

    /** The evictions and the ReplicaSet's replacements so far, to compare a case's end with. */
    record Disruptions(int evictions, int replacements) {}

    Disruptions disruptions() {
        return new Disruptions(api.evictions().requests(), api.replacementsCreated());
    }

    /**
     * A committed live handoff of {@code source} from {@code from} to {@code to}, whatever happened on the way: the
     * client's connection kept and its counter continued past {@code counterBefore}; one pod of the ReplicaSet, a new
     * one, Running and Ready on {@code to}; one target pod ever made; never two Ready nor none; no container of the
     * source left on {@code from}; nothing evicted or replaced since {@code before}; {@code from}'s instance
     * terminated and {@code to}'s not.
     */
    void assertHandedOff(
            ReplicaSetWatch watch,
            Pod source,
            ContainerdNode from,
            ContainerdNode to,
            CounterClient client,
            long counterBefore,
            Disruptions before)
            throws InterruptedException {
        client.awaitMoreExchanges(20, 10_000);
        assertThat(client.error()).as("the client's connection").isNull();
        assertThat(client.lastCounter())
                .as("the same connection, the counter continued in the migrated memory")
                .isGreaterThan(counterBefore + 20);
        assertThat(watch.owned()).singleElement().satisfies(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(to.name());
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(Pods.isReady(pod)).isTrue();
            assertThat(pod.getMetadata().getUid())
                    .isNotEqualTo(source.getMetadata().getUid());
        });
        assertThat(watch.seen())
                .as("target pods made")
                .filteredOn(n -> n.startsWith(source.getMetadata().getName() + "-h"))
                .hasSize(1);
        assertThat(watch.mostReady())
                .as("most pods of the ReplicaSet Ready at once")
                .isEqualTo(1);
        assertThat(watch.fewestPods())
                .as("fewest pods of the ReplicaSet at once")
                .isEqualTo(1);
        awaitTrue(
                "no container of the source pod runs on " + from.name(),
                () -> from.kubelet()
                        .runningContainers(source.getMetadata().getUid())
                        .isEmpty());
        assertThat(api.evictions().requests() - before.evictions())
                .as("evictions")
                .isZero();
        assertThat(api.replacementsCreated() - before.replacements())
                .as("pods the ReplicaSet created")
                .isZero();
        assertThat(cloud.terminated()).contains(instances.get(from.name())).doesNotContain(instances.get(to.name()));
        assertThat(cloud.violations()).isEmpty();
    }

    /**
     * The Auto policy the controller consolidates with: none of the instance types it may launch is cheaper than an
     * m5.large, so a plan keeps such a node (B in every case) and moves pods to it.
     */
    void consolidateAutomatically() {
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        spec.mode = PolicyMode.Auto;
        spec.interval = "1h";
        // the whole plan's limit: under a load of 16 on 2 cores, 3 s left the search no time to find the move
        spec.solverTimeLimit = "20s";
        spec.instanceTypes = List.of("m5.xlarge");
        spec.spot = SpotPolicy.Never;
        policy.setSpec(spec);
        api.client().resources(OptimizationPolicy.class).resource(policy).create();
    }

    /** Runs the shipped controller until the plan it makes has finished. */
    RebalancePlanResource runController() throws Exception {
        int plansBefore = plans().size();
        try (ControllerMain.Running controller = startController("kompact-e2e")) {
            return awaitPlan(plansBefore, RebalancePlanResource::isFinished)
                    .orElseThrow(() -> new AssertionError("no plan finished within " + PLAN_DONE + ": " + plans()));
        }
    }

    /** The shipped controller as {@code kompact controller --live-migration} wires it, as replica {@code identity}. */
    ControllerMain.Running startController(String identity) throws Exception {
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
                EXECUTOR);
        return ControllerMain.start(
                api.client(),
                settings,
                new ControllerCloud(Optional.of(cloud), CatalogSource.bundled(), Optional.empty()),
                Optional.empty(),
                Optional.of(LiveMigration.issued(nodes.controllerTls(), AGENT_SELECTOR)),
                new PrometheusRegistry());
    }

    /** The newest plan made after the first {@code plansBefore}, once {@code until} holds for it (within PLAN_DONE). */
    Optional<RebalancePlanResource> awaitPlan(int plansBefore, Predicate<RebalancePlanResource> until)
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

    /** The plans made so far, oldest first. */
    List<RebalancePlanResource> plans() {
        List<RebalancePlanResource> plans = new ArrayList<>(
                api.client().resources(RebalancePlanResource.class).list().getItems());
        plans.sort((x, y) ->
                x.getMetadata().getCreationTimestamp().compareTo(y.getMetadata().getCreationTimestamp()));
        return plans;
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
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

    @Override
    public void close() throws Exception {
        KOMPACT_LOG.setLevel(null);
        agentDaemonSet.close();
        kubelets.forEach(CriKubelet::close);
        cloud.close();
        api.close();
        nodes.close();
    }
}
