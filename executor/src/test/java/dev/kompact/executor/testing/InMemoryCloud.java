package dev.kompact.executor.testing;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.executor.cluster.Pods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A cloud whose instances join the test cluster as Nodes after {@code bootTime}. Launches are idempotent per token,
 * as EC2's ClientToken makes them, and fill the first placement not marked {@link #noCapacityFor}; termination
 * checks, as the test's invariant, that no workload pod is still on the instance's node.
 */
public final class InMemoryCloud implements CloudProvider, AutoCloseable {

    private final KubernetesClient client;
    private final Duration bootTime;
    private final ScheduledExecutorService booter = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, LaunchedInstance> byToken = new HashMap<>();
    private final Set<String> terminated = new HashSet<>();
    private final Set<Offering> unavailable = new HashSet<>();
    private final Set<String> foreign = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private int launched;

    public InMemoryCloud(KubernetesClient client, Duration bootTime) {
        this.client = client;
        this.bootTime = bootTime;
    }

    @Override
    public synchronized LaunchedInstance launch(LaunchRequest request) {
        LaunchedInstance existing = byToken.get(request.token());
        if (existing != null) {
            return existing;
        }
        List<String> passedOver = new ArrayList<>();
        Offering filled = null;
        for (Offering placement : request.offerings()) {
            if (!unavailable.contains(placement)) {
                filled = placement;
                break;
            }
            passedOver.add(placement + ": InsufficientInstanceCapacity");
        }
        if (filled == null) {
            throw new IllegalStateException("no capacity for any of " + request.offerings());
        }
        launched++;
        String id = "i-0" + Integer.toHexString(0xa000 + launched);
        LaunchedInstance instance = new LaunchedInstance(id, filled, passedOver);
        byToken.put(request.token(), instance);
        Node node = TestCluster.nodeObject(
                "ip-10-9-0-" + launched + ".ec2.internal", filled.instanceType(), id, request.nodeLabels());
        booter.schedule(() -> client.nodes().resource(node).create(), bootTime.toMillis(), TimeUnit.MILLISECONDS);
        return instance;
    }

    @Override
    public synchronized void checkTerminable(String instanceId) {
        if (foreign.contains(instanceId)) {
            throw new IllegalStateException("refusing to terminate " + instanceId + ": not launched for this cluster");
        }
    }

    @Override
    public synchronized void terminate(String instanceId) {
        String providerId = "aws:///" + TestCluster.ZONE + "/" + instanceId;
        client.nodes().list().getItems().stream()
                .filter(n -> providerId.equals(n.getSpec().getProviderID()))
                .forEach(n -> client.pods().inAnyNamespace().list().getItems().stream()
                        .filter(p ->
                                n.getMetadata().getName().equals(p.getSpec().getNodeName()))
                        .filter(Pods::isWorkload)
                        .forEach(p ->
                                violations.add("terminated " + instanceId + " while " + Pods.key(p) + " ran on it")));
        terminated.add(instanceId);
    }

    /** Launches of {@code placement} fail from now on, as EC2's InsufficientInstanceCapacity would. */
    public synchronized void noCapacityFor(Offering placement) {
        unavailable.add(placement);
    }

    /** The instance carries another cluster's tag from now on: {@link #checkTerminable} refuses it. */
    public synchronized void foreign(String instanceId) {
        foreign.add(instanceId);
    }

    public synchronized int launchedCount() {
        return launched;
    }

    public synchronized Set<String> terminated() {
        return Set.copyOf(terminated);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        booter.shutdownNow();
    }
}
