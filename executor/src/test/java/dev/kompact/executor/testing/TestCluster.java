package dev.kompact.executor.testing;

import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fabric8 mock server in CRUD mode as the API server, with what it lacks supplied by small fakes: the eviction
 * subresource ({@link EvictionApiStandIn}), a ReplicaSet controller and a scheduler ({@link FakeControlPlane}),
 * and a kubelet that reports bound pods Running and Ready ({@link FakeKubelet}).
 */
public final class TestCluster implements AutoCloseable {

    public static final String ZONE = "us-east-1a";
    /** Held so the level sticks: the mock server logs every request through java.util.logging. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private volatile KubernetesMockServer server;
    private final KubernetesClient client;
    private final EvictionApiStandIn evictions = new EvictionApiStandIn();
    private final Optional<FakeKubelet> kubelet;
    private final FakeControlPlane controlPlane;
    private final AtomicInteger instances = new AtomicInteger();

    public TestCluster(Duration kubeletDelay) {
        this(Optional.of(kubeletDelay));
    }

    /** Without the fake kubelet: for tests whose own kubelets run the pods bound to their nodes. */
    public static TestCluster withoutKubelet() {
        return new TestCluster(Optional.empty());
    }

    private TestCluster(Optional<Duration> kubeletDelay) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), evictions, false);
        server.init();
        server.expectCustomResource(
                CustomResourceDefinitionContext.fromCustomResourceType(RebalancePlanResource.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(OptimizationPolicy.class));
        client = server.createClient();
        kubelet = kubeletDelay.map(delay -> new FakeKubelet(client, delay));
        controlPlane = new FakeControlPlane(client);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public KubernetesClient client() {
        return client;
    }

    public KubernetesMockServer server() {
        return server;
    }

    /**
     * Stops the API server for {@code downtime} and starts a new one on the same port over the same store: what
     * clients see of an API server outage (refused connections, dropped watches), with the cluster's objects kept.
     */
    public void outage(Duration downtime) throws InterruptedException {
        int port = server.getPort();
        server.destroy();
        Thread.sleep(downtime.toMillis());
        KubernetesMockServer restarted =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), evictions, false);
        try {
            restarted.init(java.net.InetAddress.getByName(server.getHostName()), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        restarted.expectCustomResource(
                CustomResourceDefinitionContext.fromCustomResourceType(RebalancePlanResource.class));
        restarted.expectCustomResource(
                CustomResourceDefinitionContext.fromCustomResourceType(OptimizationPolicy.class));
        server = restarted;
    }

    public FakeKubelet kubelet() {
        return kubelet.orElseThrow();
    }

    /** Pods the ReplicaSets created to replace deleted ones. */
    public int replacementsCreated() {
        return controlPlane.created();
    }

    /** One more replica of the ReplicaSet (made on first use) for the test to create the pod of; its UID. */
    public String replicaSet(String namespace, String name) {
        controlPlane.replicaSet(namespace, name);
        return controlPlane.replicaSetUid(namespace, name);
    }

    /**
     * A Ready pod of the ReplicaSet on the node that opts in to live migration, with two containers (the app and a
     * sidecar).
     */
    public Pod liveReplicaPod(String namespace, String replicaSet, String name, String node) {
        replicaPod(namespace, replicaSet, name, node);
        return client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getMetadata().setAnnotations(Map.of(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true"));
            p.getSpec()
                    .getContainers()
                    .add(new ContainerBuilder()
                            .withName("sidecar")
                            .withImage("envoy")
                            .build());
            return FakeKubelet.ready(p);
        });
    }

    /** A Ready pod of a controller of {@code kind} (no fake runs it) that opts in to live migration. */
    public Pod liveOwnedPod(String namespace, String kind, String owner, String name, String node) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToAnnotations(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind(kind)
                .withName(owner)
                .withUid(kind + "-" + owner)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("app")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build();
        return client.pods().resource(FakeKubelet.ready(pod)).create();
    }

    public EvictionApiStandIn evictions() {
        return evictions;
    }

    /** A Ready node of the instance type, with an AWS providerID. */
    public Node node(String name, String instanceType) {
        return client.nodes()
                .resource(nodeObject(
                        name,
                        instanceType,
                        "i-0" + Integer.toHexString(0x1000 + instances.incrementAndGet()),
                        Map.of()))
                .create();
    }

    public static Node nodeObject(String name, String instanceType, String instanceId, Map<String, String> labels) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("node.kubernetes.io/instance-type", instanceType)
                .addToLabels("topology.kubernetes.io/zone", ZONE)
                .addToLabels("karpenter.sh/capacity-type", "on-demand")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels(labels)
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

    /**
     * A Ready pod of the ReplicaSet on the node, mounting the volumes; its replacement, once evicted, is made by the
     * fake controller.
     */
    public Pod replicaPod(String namespace, String replicaSet, String name, String node, Volume... volumes) {
        controlPlane.replicaSet(namespace, replicaSet);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels("app", replicaSet)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName(replicaSet)
                .withUid(controlPlane.replicaSetUid(namespace, replicaSet))
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("app")
                .withImage("nginx")
                .withNewResources()
                .addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("512Mi"))
                .endResources()
                .endContainer()
                .addToVolumes(volumes)
                .endSpec()
                .build();
        return client.pods().resource(FakeKubelet.ready(pod)).create();
    }

    /** A Ready pod of the ReplicaSet on the node that tolerates every taint, as some agents and operators do. */
    public Pod toleratingReplicaPod(String namespace, String replicaSet, String name, String node) {
        Pod pod = replicaPod(namespace, replicaSet, name, node);
        return client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getSpec()
                    .setTolerations(List.of(
                            new TolerationBuilder().withOperator("Exists").build()));
            return p;
        });
    }

    /**
     * A PersistentVolume that attaches only in {@code zone}, the way CSI drivers provision them (a required node
     * affinity term on the zone), and a claim bound to it.
     */
    public void zonalClaim(String namespace, String claim, String zone) {
        String volume = "pv-" + claim;
        client.persistentVolumes()
                .resource(new PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName(volume)
                        .endMetadata()
                        .withNewSpec()
                        .addToCapacity("storage", new Quantity("10Gi"))
                        .withAccessModes("ReadWriteOnce")
                        .withNewCsi()
                        .withDriver("ebs.csi.aws.com")
                        .withVolumeHandle("vol-" + claim)
                        .endCsi()
                        .withNewClaimRef()
                        .withNamespace(namespace)
                        .withName(claim)
                        .endClaimRef()
                        .withNewNodeAffinity()
                        .withNewRequired()
                        .addNewNodeSelectorTerm()
                        .addNewMatchExpression()
                        .withKey("topology.kubernetes.io/zone")
                        .withOperator("In")
                        .withValues(zone)
                        .endMatchExpression()
                        .endNodeSelectorTerm()
                        .endRequired()
                        .endNodeAffinity()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Bound")
                        .endStatus()
                        .build())
                .create();
        client.persistentVolumeClaims()
                .inNamespace(namespace)
                .resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(claim)
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withVolumeName(volume)
                        .withNewResources()
                        .addToRequests("storage", new Quantity("10Gi"))
                        .endResources()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Bound")
                        .endStatus()
                        .build())
                .create();
    }

    /** A Ready pod no controller owns: nothing recreates it once it is gone. */
    public Pod barePod(String namespace, String name, String node, Map<String, String> annotations) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("app")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build();
        return client.pods().resource(FakeKubelet.ready(pod)).create();
    }

    public Pod daemonSetPod(String name, String node) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName(name)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("DaemonSet")
                .withName("kube-proxy")
                .withUid("ds-kube-proxy")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("proxy")
                .withImage("kube-proxy")
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        return client.pods().resource(FakeKubelet.ready(pod)).create();
    }

    public void minAvailable(String namespace, String name, String app, int minAvailable) {
        client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(namespace)
                .resource(new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withNewMinAvailable(minAvailable)
                        .withNewSelector()
                        .addToMatchLabels("app", app)
                        .endSelector()
                        .endSpec()
                        .withNewStatus()
                        .withDisruptionsAllowed(1)
                        .endStatus()
                        .build())
                .create();
    }

    public List<Pod> podsOf(String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 5);
    }

    @Override
    public void close() {
        controlPlane.close();
        kubelet.ifPresent(FakeKubelet::close);
        client.close();
        server.destroy();
    }
}
