package dev.kompact.executor.migration;

import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.PodContainer;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.Strategy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Migrator} through the node agents' gRPC API over mutual TLS: asks the source agent to migrate the pod
 * ({@code MigratePod}), which drives the target agent itself; after a failure, or a controller restart, the source's
 * migration status ({@code GetMigration}) tells a commit from a rollback.
 */
public final class AgentMigrator implements Migrator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentMigrator.class);
    private static final Duration QUESTION = Duration.ofSeconds(30);

    private final TlsFiles identity;
    private final AgentDirectory agents;
    private final Duration timeout;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** @param timeout the longest a single migration may take, the wait for the target pod and the image included */
    public AgentMigrator(TlsFiles identity, AgentDirectory agents, Duration timeout) {
        this.identity = identity;
        this.agents = agents;
        this.timeout = timeout;
    }

    @Override
    public Optional<String> refusal(String sourceNode, String targetNode) {
        Set<Strategy> common = null;
        for (String node : List.of(sourceNode, targetNode)) {
            Optional<String> address = agents.address(node);
            if (address.isEmpty()) {
                return Optional.of("node " + node + " runs no ready Kompact agent");
            }
            List<Strategy> offered;
            try {
                offered = stub(address.get(), QUESTION)
                        .capabilities(CapabilitiesRequest.getDefaultInstance())
                        .getStrategiesList();
            } catch (StatusRuntimeException e) {
                return Optional.of("the agent of node " + node + " at " + address.get() + " does not answer: "
                        + e.getStatus().getCode() + " " + e.getStatus().getDescription());
            }
            if (common == null) {
                common = new HashSet<>(offered);
            } else {
                common.retainAll(offered);
            }
        }
        return common.isEmpty()
                ? Optional.of("the agents of " + sourceNode + " and " + targetNode + " offer no common strategy")
                : Optional.empty();
    }

    @Override
    public MigrationResult migrate(PodMigration migration) {
        Optional<String> source = agents.address(migration.sourceNode());
        Optional<String> target = agents.address(migration.targetNode());
        if (source.isEmpty() || target.isEmpty()) {
            return MigrationResult.rejected(
                    migration.migrationId(),
                    "node " + (source.isEmpty() ? migration.sourceNode() : migration.targetNode())
                            + " runs no ready Kompact agent");
        }
        try {
            MigrationStatus status = stub(source.get(), timeout).migratePod(request(migration, target.get()));
            log.info(
                    "migration {} of {}/{} from {} to {}: {}, freeze {} ms, total {} ms",
                    migration.migrationId(),
                    migration.source().namespace(),
                    migration.source().name(),
                    migration.sourceNode(),
                    migration.targetNode(),
                    status.getPhase(),
                    status.getTimings().getFreezeMillis(),
                    status.getTimings().getTotalMillis());
            return result(status, "");
        } catch (StatusRuntimeException e) {
            return afterFailure(migration, e.getStatus());
        }
    }

    @Override
    public Optional<MigrationResult> outcome(String migrationId, String sourceNode) {
        try {
            return Optional.of(result(ask(migrationId, sourceNode), ""));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw new MigrationInDoubt("the agent of node " + sourceNode + " cannot say how migration " + migrationId
                    + " ended: " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
    }

    private MigrationResult afterFailure(PodMigration migration, Status failure) {
        String message = failure.getCode() + ": " + failure.getDescription();
        MigrationStatus status;
        try {
            status = ask(migration.migrationId(), migration.sourceNode());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                // the source refused before registering the migration: nothing was touched
                return MigrationResult.rejected(migration.migrationId(), message);
            }
            throw new MigrationInDoubt(message + "; and the agent of node " + migration.sourceNode()
                    + " cannot be asked about migration " + migration.migrationId() + ": " + e.getStatus());
        }
        MigrationResult result = result(status, message);
        if (result.outcome() == MigrationResult.Outcome.FAILED) {
            log.error(
                    "migration {} failed and needs an operator: {} ({})",
                    migration.migrationId(),
                    status.getError(),
                    message);
        }
        return result;
    }

    private MigrationStatus ask(String migrationId, String sourceNode) {
        return stub(agentOf(sourceNode), QUESTION)
                .getMigration(GetMigrationRequest.newBuilder()
                        .setMigrationId(migrationId)
                        .build());
    }

    private static PodMigrateRequest request(PodMigration migration, String targetAddress) {
        PodMigrateRequest.Builder request = PodMigrateRequest.newBuilder()
                .setMigrationId(migration.migrationId())
                .setTargetAddress(targetAddress)
                .setTargetNode(migration.targetNode())
                .setStrategy(Strategy.STRATEGY_UNSPECIFIED)
                .setSourcePod(ref(migration.source()))
                .setTargetPod(ref(migration.target()));
        migration
                .containers()
                .forEach(c -> request.addContainers(
                        PodContainer.newBuilder().setName(c.name()).setContainerId(c.runtimeId())));
        migration
                .targetEni()
                .ifPresent(eni -> request.setTargetEni(
                        NetworkInterface.newBuilder().setMacAddress(eni.mac()).setSubnetCidr(eni.subnetCidr())));
        return request.build();
    }

    private static PodRef ref(PodMigration.PodRef pod) {
        return PodRef.newBuilder()
                .setNamespace(pod.namespace())
                .setName(pod.name())
                .setUid(pod.uid())
                .build();
    }

    private static MigrationResult result(MigrationStatus status, String message) {
        MigrationResult.Outcome outcome = switch (status.getPhase()) {
            case COMMITTED -> MigrationResult.Outcome.COMMITTED;
            case ROLLED_BACK -> MigrationResult.Outcome.ROLLED_BACK;
            case REJECTED -> MigrationResult.Outcome.REJECTED;
            case PREPARING, CHECKPOINTING, TRANSFERRING, RESTORING -> MigrationResult.Outcome.IN_PROGRESS;
            default -> MigrationResult.Outcome.FAILED;
        };
        return new MigrationResult(
                status.getMigrationId(),
                outcome,
                status.getStrategy().name(),
                Duration.ofMillis(status.getTimings().getFreezeMillis()),
                Duration.ofMillis(status.getTimings().getTotalMillis()),
                status.getImageBytes(),
                message.isEmpty() ? status.getError() : message + "; " + status.getError());
    }

    private String agentOf(String node) {
        return agents.address(node)
                .orElseThrow(() -> new MigrationInDoubt("node " + node + " runs no ready Kompact agent to ask"));
    }

    private NodeAgentGrpc.NodeAgentBlockingStub stub(String address, Duration deadline) {
        return NodeAgentGrpc.newBlockingStub(channels.computeIfAbsent(address, identity::channelTo))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
