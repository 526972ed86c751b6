package dev.kompact.executor.migration;

import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.NodeAgentGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Migrator} through the node agents' gRPC API over mutual TLS: asks the source agent to migrate, which
 * drives the target agent itself; after a failure, the source's migration status tells a rollback from a failure.
 */
public final class AgentMigrator implements Migrator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentMigrator.class);

    private final TlsFiles identity;
    private final Function<String, String> agentAddressOfNode;
    private final Duration timeout;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /**
     * @param agentAddressOfNode host:port of the agent on a node (the DaemonSet pod's address in a cluster)
     * @param timeout the longest a single migration may take, image transfer included
     */
    public AgentMigrator(TlsFiles identity, Function<String, String> agentAddressOfNode, Duration timeout) {
        this.identity = identity;
        this.agentAddressOfNode = agentAddressOfNode;
        this.timeout = timeout;
    }

    @Override
    public MigrationResult migrate(String migrationId, String containerId, String sourceNode, String targetNode) {
        NodeAgentGrpc.NodeAgentBlockingStub source = NodeAgentGrpc.newBlockingStub(channel(sourceNode));
        try {
            MigrationStatus status = source.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .migrate(MigrateRequest.newBuilder()
                            .setMigrationId(migrationId)
                            .setContainerId(containerId)
                            .setTargetNode(targetNode)
                            .setTargetAddress(agentAddressOfNode.apply(targetNode))
                            .build());
            log.info(
                    "migration {} of {} from {} to {} committed: freeze {} ms, total {} ms",
                    migrationId,
                    containerId,
                    sourceNode,
                    targetNode,
                    status.getTimings().getFreezeMillis(),
                    status.getTimings().getTotalMillis());
            return result(status, MigrationResult.Outcome.COMMITTED, "");
        } catch (StatusRuntimeException e) {
            return afterFailure(source, migrationId, e.getStatus());
        }
    }

    private MigrationResult afterFailure(
            NodeAgentGrpc.NodeAgentBlockingStub source, String migrationId, Status failure) {
        String message = failure.getCode() + ": " + failure.getDescription();
        MigrationStatus status;
        try {
            status = source.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getMigration(GetMigrationRequest.newBuilder()
                            .setMigrationId(migrationId)
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                // the source refused before registering the migration: nothing was touched
                return new MigrationResult(
                        migrationId, MigrationResult.Outcome.REJECTED, "", Duration.ZERO, Duration.ZERO, 0, message);
            }
            // the source agent cannot say what happened: only an operator (or a later retry of this call) can
            return new MigrationResult(
                    migrationId,
                    MigrationResult.Outcome.FAILED,
                    "",
                    Duration.ZERO,
                    Duration.ZERO,
                    0,
                    message + "; and the source agent cannot be asked about migration " + migrationId + ": "
                            + e.getStatus());
        }
        MigrationResult.Outcome outcome = switch (status.getPhase()) {
            case COMMITTED -> MigrationResult.Outcome.COMMITTED;
            case ROLLED_BACK -> MigrationResult.Outcome.ROLLED_BACK;
            case REJECTED -> MigrationResult.Outcome.REJECTED;
            default -> MigrationResult.Outcome.FAILED;
        };
        if (outcome == MigrationResult.Outcome.FAILED) {
            log.error("migration {} failed and needs an operator: {} ({})", migrationId, status.getError(), message);
        }
        return result(status, outcome, message);
    }

    private static MigrationResult result(MigrationStatus status, MigrationResult.Outcome outcome, String message) {
        return new MigrationResult(
                status.getMigrationId(),
                outcome,
                status.getStrategy().name(),
                Duration.ofMillis(status.getTimings().getFreezeMillis()),
                Duration.ofMillis(status.getTimings().getTotalMillis()),
                status.getImageBytes(),
                message.isEmpty() ? status.getError() : message);
    }

    private ManagedChannel channel(String node) {
        return channels.computeIfAbsent(agentAddressOfNode.apply(node), identity::channelTo);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
