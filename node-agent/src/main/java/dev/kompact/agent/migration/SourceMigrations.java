package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** Migrations out of this node: at most one per container at a time, each run on the caller's thread. */
public final class SourceMigrations {
    private final String nodeName;
    private final Path stateDir;
    private final ContainerRuntime runtime;
    private final PodNetwork network;
    private final PeerAgents peers;
    private final List<Strategy> strategies;
    private final long transferBytesPerSecond;
    private final String listenHost;
    private final SSLContext pageTls;
    private final Map<String, SourceMigration> migrations = new ConcurrentHashMap<>();
    private final Map<String, String> activeByContainer = new ConcurrentHashMap<>();
    private final Map<String, PodMigration> pods = new ConcurrentHashMap<>();
    private final SandboxNetwork sandboxNetwork = new SandboxNetwork();

    public SourceMigrations(
            String nodeName,
            Path stateDir,
            ContainerRuntime runtime,
            PodNetwork network,
            PeerAgents peers,
            List<Strategy> strategies,
            long transferBytesPerSecond,
            String listenHost,
            SSLContext pageTls) {
        this.nodeName = nodeName;
        this.stateDir = stateDir;
        this.runtime = runtime;
        this.network = network;
        this.peers = peers;
        this.strategies = strategies;
        this.transferBytesPerSecond = transferBytesPerSecond;
        this.listenHost = listenHost;
        this.pageTls = pageTls;
    }

    public MigrationStatus migrate(MigrateRequest request) {
        String id = request.getMigrationId();
        String containerId = request.getContainerId();
        String busy = activeByContainer.putIfAbsent(containerId, id);
        if (busy != null) {
            throw Status.ALREADY_EXISTS
                    .withDescription("container " + containerId + " is already being migrated by " + busy)
                    .asRuntimeException();
        }
        try {
            if (migrations.containsKey(id)) {
                throw Status.ALREADY_EXISTS
                        .withDescription("migration id " + id + " was already used on node " + nodeName)
                        .asRuntimeException();
            }
            SourceMigration migration = new SourceMigration(
                    request,
                    nodeName,
                    runtime,
                    network,
                    peers,
                    stateDir.resolve("outgoing").resolve(id),
                    transferBytesPerSecond,
                    listenHost,
                    pageTls);
            migrations.put(id, migration);
            Strategy strategy;
            try {
                strategy = StrategyChoice.choose(request.getStrategy(), strategies, targetStrategies(request));
            } catch (StatusRuntimeException e) {
                migration.record.failed(Phase.REJECTED, e.getStatus().getDescription());
                throw e;
            }
            // the controller's call may end (its deadline, a dropped connection) while the migration must still reach
            // its commit or rollback: its calls to the target must not be cancelled with it
            Context.current().fork().run(() -> migration.run(strategy));
            return migration.record.snapshot();
        } finally {
            activeByContainer.remove(containerId, id);
        }
    }

    /** As {@link #migrate}, for every container of a pod at once ({@link PodMigration}). */
    public MigrationStatus migratePod(PodMigrateRequest request) {
        String id = request.getMigrationId();
        if (request.getStrategy() != Strategy.STRATEGY_UNSPECIFIED && request.getStrategy() != Strategy.STOP_AND_COPY) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("a pod moves by STOP_AND_COPY only (for now), not " + request.getStrategy())
                    .asRuntimeException();
        }
        List<String> claimed = new java.util.ArrayList<>();
        try {
            for (var container : request.getContainersList()) {
                String busy = activeByContainer.putIfAbsent(container.getContainerId(), id);
                if (busy != null) {
                    throw Status.ALREADY_EXISTS
                            .withDescription(
                                    "container " + container.getContainerId() + " is already being migrated by " + busy)
                            .asRuntimeException();
                }
                claimed.add(container.getContainerId());
            }
            if (migrations.containsKey(id) || pods.containsKey(id)) {
                throw Status.ALREADY_EXISTS
                        .withDescription("migration id " + id + " was already used on node " + nodeName)
                        .asRuntimeException();
            }
            PodMigration migration = new PodMigration(
                    request,
                    nodeName,
                    runtime,
                    sandboxNetwork,
                    peers,
                    stateDir.resolve("outgoing-pods").resolve(id),
                    transferBytesPerSecond);
            pods.put(id, migration);
            Context.current().fork().run(migration::run);
            return migration.record.snapshot();
        } finally {
            claimed.forEach(c -> activeByContainer.remove(c, id));
        }
    }

    public Optional<AbortResponse> abort(String migrationId, String reason) {
        PodMigration pod = pods.get(migrationId);
        if (pod != null) {
            if (pod.record.phase() == Phase.COMMITTED) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("migration " + migrationId + " is committed: the pod runs on the target now")
                        .asRuntimeException();
            }
            pod.requestAbort(reason);
            return Optional.of(
                    AbortResponse.newBuilder().setPhase(pod.record.phase()).build());
        }
        SourceMigration migration = migrations.get(migrationId);
        if (migration == null) {
            return Optional.empty();
        }
        Phase phase = migration.record.phase();
        if (phase == Phase.COMMITTED) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("migration " + migrationId + " is committed: the container"
                            + " runs on the target now; migrate it back instead")
                    .asRuntimeException();
        }
        migration.requestAbort(reason);
        return Optional.of(AbortResponse.newBuilder().setPhase(phase).build());
    }

    public Optional<MigrationStatus> status(String migrationId) {
        return Optional.ofNullable(migrations.get(migrationId))
                .map(m -> m.record.snapshot())
                .or(() -> Optional.ofNullable(pods.get(migrationId)).map(p -> p.record.snapshot()));
    }

    private List<Strategy> targetStrategies(MigrateRequest request) {
        try {
            return peers.blocking(request.getTargetAddress())
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .capabilities(CapabilitiesRequest.getDefaultInstance())
                    .getStrategiesList();
        } catch (StatusRuntimeException e) {
            throw e.getStatus()
                    .withDescription("target agent " + request.getTargetAddress() + " is unreachable ("
                            + e.getStatus().getDescription() + "); container " + request.getContainerId()
                            + " still runs on "
                            + nodeName)
                    .asRuntimeException();
        }
    }
}
