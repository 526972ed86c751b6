package dev.kompact.executor.testing;

import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.PeerIdentityInterceptor;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.CapabilitiesResponse;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PodContainer;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.agent.v1.Timings;
import dev.kompact.executor.migration.AgentDirectory;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Node agents for the executor's tests: each node's a real gRPC server over mutual TLS (certificates from a
 * throw-away CA, the controller's identity checked as the agent checks it), serving what the controller calls:
 * {@code Capabilities}, {@code MigratePod} and {@code GetMigration}. A migration checks the source pod against the
 * request, waits until the target pod is parked by its kubelet, freezes the source and restores into the target
 * through {@link FakeKubelet}, or, told to fail, thaws the source and fails the target's containers. What the agents
 * did to processes is kept, so a test can check that no two copies of a pod ever ran.
 */
public final class TestAgents implements AgentDirectory, AutoCloseable {

    private static final long PARK_WAIT_MILLIS = 10_000;

    private final TestCluster cluster;
    private final Identities identities;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final Map<String, MigrationStatus> migrations = new ConcurrentHashMap<>();
    private final Map<String, NetworkInterface> targetEnis = new ConcurrentHashMap<>();
    private final Set<String> frozen = ConcurrentHashMap.newKeySet();
    private final Set<String> restored = ConcurrentHashMap.newKeySet();
    private final Set<String> committedSources = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new ArrayList<>();
    private volatile String restoreFailure;
    private volatile String restoreLost;
    private volatile String commitWarning = "";

    public TestAgents(TestCluster cluster, Path dir) throws IOException {
        this(cluster, Identities.create(dir));
    }

    /** Agents whose certificates come from {@code identities}: one CA for many clusters of a test (openssl is slow). */
    public TestAgents(TestCluster cluster, Identities identities) {
        this.cluster = cluster;
        this.identities = identities;
    }

    /** A throw-away CA and the identities it signed, each made once. */
    public static final class Identities {
        private final TestPki pki;
        private final Map<String, TlsFiles> issued = new ConcurrentHashMap<>();

        private Identities(TestPki pki) {
            this.pki = pki;
        }

        public static Identities create(Path dir) throws IOException {
            return new Identities(TestPki.create(dir, "agents-ca"));
        }

        TlsFiles issue(String name) {
            return issued.computeIfAbsent(name, pki::issue);
        }
    }

    /** Starts the agent of {@code node}, offering these strategies (none: it cannot migrate). */
    public TestAgents node(String node, Strategy... strategies) {
        try {
            Server server = NettyServerBuilder.forAddress(
                            new InetSocketAddress("127.0.0.1", 0),
                            identities.issue(node).serverCredentials())
                    .addService(ServerInterceptors.intercept(
                            new Agent(node, List.of(strategies)), new PeerIdentityInterceptor()))
                    .build()
                    .start();
            servers.put(node, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TlsFiles controllerTls() {
        return identities.issue("controller");
    }

    @Override
    public Optional<String> address(String node) {
        return Optional.ofNullable(servers.get(node)).map(s -> "127.0.0.1:" + s.getPort());
    }

    /** Every restore from now on fails with this message; null makes them succeed again. */
    public void restoreFails(String message) {
        this.restoreFailure = message;
    }

    /**
     * Every restore from now on ends unconfirmed, as when the target's agent dies during post-copy's page fetch: the
     * source stays frozen and the migration FAILED.
     */
    public void restoreLost(String message) {
        this.restoreLost = message;
    }

    /** Every commit from now on comes with this warning, as when the target could not route the pod afterwards. */
    public void commitWarning(String warning) {
        this.commitWarning = warning;
    }

    /** How many copies of the pod's processes run: the source's unless frozen, the target's once restored. */
    public int runningCopies(String sourceUid, Optional<String> targetUid) {
        boolean source = cluster.client().pods().inAnyNamespace().list().getItems().stream()
                        .anyMatch(p -> p.getMetadata().getUid().equals(sourceUid))
                && !frozen.contains(sourceUid);
        boolean target = targetUid.map(restored::contains).orElse(false)
                && cluster.client().pods().inAnyNamespace().list().getItems().stream()
                        .anyMatch(p -> p.getMetadata().getUid().equals(targetUid.get()));
        return (source ? 1 : 0) + (target ? 1 : 0);
    }

    public boolean frozen(String podUid) {
        return frozen.contains(podUid);
    }

    public int migrationsStarted() {
        return migrations.size();
    }

    /** By migration id, the target ENI each started migration's request named; the empty default when none. */
    public Map<String, NetworkInterface> targetEnis() {
        return Map.copyOf(targetEnis);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private synchronized void violation(String what) {
        violations.add(what);
    }

    @Override
    public void close() {
        servers.values().forEach(Server::shutdownNow);
    }

    private final class Agent extends NodeAgentGrpc.NodeAgentImplBase {
        private final String node;
        private final List<Strategy> strategies;

        Agent(String node, List<Strategy> strategies) {
            this.node = node;
            this.strategies = strategies;
        }

        @Override
        public void capabilities(CapabilitiesRequest request, StreamObserver<CapabilitiesResponse> response) {
            PeerIdentity.current();
            response.onNext(CapabilitiesResponse.newBuilder()
                    .setNodeName(node)
                    .addAllStrategies(strategies)
                    .build());
            response.onCompleted();
        }

        @Override
        public void getMigration(GetMigrationRequest request, StreamObserver<MigrationStatus> response) {
            try {
                PeerIdentity.current().requireController("GetMigration");
            } catch (StatusRuntimeException e) {
                response.onError(e);
                return;
            }
            MigrationStatus status = migrations.get(request.getMigrationId());
            if (status == null) {
                response.onError(Status.NOT_FOUND
                        .withDescription("no migration " + request.getMigrationId() + " on node " + node)
                        .asRuntimeException());
                return;
            }
            response.onNext(status);
            response.onCompleted();
        }

        @Override
        public void migratePod(PodMigrateRequest request, StreamObserver<MigrationStatus> response) {
            try {
                PeerIdentity.current().requireController("MigratePod");
                response.onNext(migrate(request));
                response.onCompleted();
            } catch (StatusRuntimeException e) {
                response.onError(e);
            }
        }

        private MigrationStatus migrate(PodMigrateRequest request) {
            String id = request.getMigrationId();
            if (migrations.containsKey(id)) {
                throw Status.ALREADY_EXISTS
                        .withDescription("migration " + id + " was started before")
                        .asRuntimeException();
            }
            Pod source = checkedSource(request);
            targetEnis.put(id, request.getTargetEni());
            record(id, Phase.PREPARING, "");
            if (!targetParked(request)) {
                record(id, Phase.REJECTED, "the target pod's containers did not park");
                throw Status.FAILED_PRECONDITION
                        .withDescription("target pod " + request.getTargetPod().getName() + " not parked on "
                                + request.getTargetNode())
                        .asRuntimeException();
            }
            long frozeAt = System.nanoTime();
            frozen.add(source.getMetadata().getUid());
            record(id, Phase.CHECKPOINTING, "");
            String lost = restoreLost;
            if (lost != null) {
                record(id, Phase.FAILED, lost + "; the pod is frozen on " + node + " and its image is kept");
                throw Status.UNAVAILABLE.withDescription(lost).asRuntimeException();
            }
            String failure = restoreFailure;
            if (failure != null) {
                cluster.kubelet()
                        .failRestore(
                                request.getTargetPod().getNamespace(),
                                request.getTargetPod().getName(),
                                failure);
                if (committedSources.contains(source.getMetadata().getUid())) {
                    violation("thawed " + source.getMetadata().getName() + " after a commit of it");
                }
                frozen.remove(source.getMetadata().getUid());
                record(id, Phase.ROLLED_BACK, "restore failed on " + request.getTargetNode() + ": " + failure);
                throw Status.ABORTED
                        .withDescription("restore failed: " + failure + "; the pod runs on " + node + " again")
                        .asRuntimeException();
            }
            if (restored.contains(request.getTargetPod().getUid())) {
                violation("restored into " + request.getTargetPod().getName() + " twice");
            }
            restored.add(request.getTargetPod().getUid());
            cluster.kubelet()
                    .restore(
                            request.getTargetPod().getNamespace(),
                            request.getTargetPod().getName());
            long freeze = Math.max(1, (System.nanoTime() - frozeAt) / 1_000_000);
            committedSources.add(source.getMetadata().getUid());
            return record(id, Phase.COMMITTED, commitWarning, freeze);
        }

        private Pod checkedSource(PodMigrateRequest request) {
            Pod pod = cluster.client()
                    .pods()
                    .inNamespace(request.getSourcePod().getNamespace())
                    .withName(request.getSourcePod().getName())
                    .get();
            if (pod == null
                    || !pod.getMetadata().getUid().equals(request.getSourcePod().getUid())
                    || !node.equals(pod.getSpec().getNodeName())) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("pod " + request.getSourcePod().getName() + " does not run on " + node)
                        .asRuntimeException();
            }
            Map<String, String> running = pod.getStatus().getContainerStatuses().stream()
                    .collect(Collectors.toMap(
                            ContainerStatus::getName, c -> c.getContainerID().substring("containerd://".length())));
            Map<String, String> asked = request.getContainersList().stream()
                    .collect(Collectors.toMap(PodContainer::getName, PodContainer::getContainerId));
            if (!running.equals(asked)) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("pod " + pod.getMetadata().getName() + " runs " + running + ", not " + asked)
                        .asRuntimeException();
            }
            return pod;
        }

        private boolean targetParked(PodMigrateRequest request) {
            long until = System.currentTimeMillis() + PARK_WAIT_MILLIS;
            while (System.currentTimeMillis() < until) {
                Pod target = cluster.client()
                        .pods()
                        .inNamespace(request.getTargetPod().getNamespace())
                        .withName(request.getTargetPod().getName())
                        .get();
                if (target != null
                        && target.getMetadata()
                                .getUid()
                                .equals(request.getTargetPod().getUid())
                        && request.getTargetNode().equals(target.getSpec().getNodeName())
                        && FakeKubelet.parked(target)) {
                    return true;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }

        private MigrationStatus record(String id, Phase phase, String error) {
            return record(id, phase, error, 0);
        }

        private MigrationStatus record(String id, Phase phase, String error, long freezeMillis) {
            MigrationStatus status = MigrationStatus.newBuilder()
                    .setMigrationId(id)
                    .setPhase(phase)
                    .setStrategy(strategies.isEmpty() ? Strategy.STRATEGY_UNSPECIFIED : strategies.get(0))
                    .setError(error)
                    .setTimings(
                            Timings.newBuilder().setFreezeMillis(freezeMillis).setTotalMillis(freezeMillis))
                    .build();
            migrations.put(id, status);
            return status;
        }
    }
}
