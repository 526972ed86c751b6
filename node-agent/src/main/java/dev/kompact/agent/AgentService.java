package dev.kompact.agent;

import dev.kompact.agent.migration.Identifiers;
import dev.kompact.agent.migration.IncomingImages;
import dev.kompact.agent.migration.SourceMigrations;
import dev.kompact.agent.migration.TargetMigrations;
import dev.kompact.agent.migration.TargetPodMigrations;
import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.CapabilitiesResponse;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.HealthRequest;
import dev.kompact.agent.v1.HealthResponse;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.PodContainer;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.PreparePodRequest;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.PrepareResponse;
import dev.kompact.agent.v1.RestoreRequest;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face of one agent: checks who calls ({@link PeerIdentity}, from the certificate) and every identifier the
 * request carries before anything acts, then turns the call into source or target work and every failure into a
 * status. The controller calls Migrate, Abort and GetMigration; a source node's agent calls Prepare, TransferImage,
 * Restore (and Abort) of the migrations it prepared here; either may call Capabilities, anyone from the CA Health.
 */
final class AgentService extends NodeAgentGrpc.NodeAgentImplBase {
    private static final Logger log = LoggerFactory.getLogger(AgentService.class);

    private final String nodeName;
    private final CapabilitiesResponse capabilities;
    private final SourceMigrations outgoing;
    private final TargetMigrations incoming;
    private final TargetPodMigrations incomingPods;

    AgentService(
            String nodeName,
            CapabilitiesResponse capabilities,
            SourceMigrations outgoing,
            TargetMigrations incoming,
            TargetPodMigrations incomingPods) {
        this.nodeName = nodeName;
        this.capabilities = capabilities;
        this.outgoing = outgoing;
        this.incoming = incoming;
        this.incomingPods = incomingPods;
    }

    @Override
    public void health(HealthRequest request, StreamObserver<HealthResponse> response) {
        answer(
                response,
                () -> HealthResponse.newBuilder()
                        .setNodeName(nodeName)
                        .setServing(true)
                        .build());
    }

    @Override
    public void capabilities(CapabilitiesRequest request, StreamObserver<CapabilitiesResponse> response) {
        answer(response, () -> {
            PeerIdentity.current();
            return capabilities;
        });
    }

    @Override
    public void prepare(PrepareRequest request, StreamObserver<PrepareResponse> response) {
        answer(response, () -> {
            String sender = PeerIdentity.current().requireAgent("Prepare");
            Identifiers.migrationId(request.getMigrationId());
            Identifiers.containerId(request.getContainerId());
            Identifiers.nodeName("source node", request.getSourceNode());
            Identifiers.interfaceName(request.getNetwork().getInterfaceName());
            Identifiers.addressCidr(request.getNetwork().getAddressCidr());
            if (!sender.equals(request.getSourceNode())) {
                throw PeerIdentity.denied("the agent of node " + sender + " may not prepare a migration from node "
                        + request.getSourceNode());
            }
            return incoming.prepare(request);
        });
    }

    @Override
    public void preparePod(PreparePodRequest request, StreamObserver<PrepareResponse> response) {
        answer(response, () -> {
            String sender = PeerIdentity.current().requireAgent("PreparePod");
            Identifiers.migrationId(request.getMigrationId());
            Identifiers.nodeName("source node", request.getSourceNode());
            Identifiers.interfaceName(request.getNetwork().getInterfaceName());
            Identifiers.addressCidr(request.getNetwork().getAddressCidr());
            request.getNetwork().getCarriedCidrsList().forEach(Identifiers::addressCidr);
            podRef("target_pod", request.getTargetPod());
            if (request.getContainerNamesCount() == 0) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("container_names is empty")
                        .asRuntimeException();
            }
            request.getContainerNamesList().forEach(n -> Identifiers.podName("container name", n));
            if (!sender.equals(request.getSourceNode())) {
                throw PeerIdentity.denied("the agent of node " + sender + " may not prepare a migration from node "
                        + request.getSourceNode());
            }
            return incomingPods.prepare(request);
        });
    }

    @Override
    public StreamObserver<ImageChunk> transferImage(StreamObserver<TransferImageResponse> response) {
        // asked on the stream's first chunk: the call's context, and so its identity, holds for every chunk
        return new IncomingImages(
                () -> PeerIdentity.current().requireAgent("TransferImage"), incoming, incomingPods, response);
    }

    @Override
    public void restorePod(RestoreRequest request, StreamObserver<RestoreResponse> response) {
        answer(response, () -> {
            String sender = PeerIdentity.current().requireAgent("RestorePod");
            return incomingPods.restore(Identifiers.migrationId(request.getMigrationId()), sender);
        });
    }

    @Override
    public void migratePod(PodMigrateRequest request, StreamObserver<MigrationStatus> response) {
        answer(response, () -> {
            PeerIdentity.current().requireController("MigratePod");
            Identifiers.migrationId(request.getMigrationId());
            Identifiers.hostPort("target_address", request.getTargetAddress());
            Identifiers.nodeName("target node", request.getTargetNode());
            podRef("source_pod", request.getSourcePod());
            podRef("target_pod", request.getTargetPod());
            if (request.getContainersCount() == 0) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("containers is empty")
                        .asRuntimeException();
            }
            for (PodContainer container : request.getContainersList()) {
                Identifiers.podName("container name", container.getName());
                Identifiers.containerId(container.getContainerId());
            }
            return outgoing.migratePod(request);
        });
    }

    private static void podRef(String field, PodRef pod) {
        Identifiers.podName(field + ".namespace", pod.getNamespace());
        Identifiers.podName(field + ".name", pod.getName());
    }

    @Override
    public void restore(RestoreRequest request, StreamObserver<RestoreResponse> response) {
        answer(response, () -> {
            String sender = PeerIdentity.current().requireAgent("Restore");
            Identifiers.migrationId(request.getMigrationId());
            if (!request.getPageServerAddress().isEmpty()) {
                Identifiers.hostPort("page_server_address", request.getPageServerAddress());
            }
            return incoming.restore(request.getMigrationId(), request.getPageServerAddress(), sender);
        });
    }

    @Override
    public void migrate(MigrateRequest request, StreamObserver<MigrationStatus> response) {
        answer(response, () -> {
            PeerIdentity.current().requireController("Migrate");
            Identifiers.migrationId(request.getMigrationId());
            Identifiers.containerId(request.getContainerId());
            Identifiers.hostPort("target_address", request.getTargetAddress());
            Identifiers.nodeName("target node", request.getTargetNode());
            return outgoing.migrate(request);
        });
    }

    /**
     * The controller aborts either side of a migration; the source's agent aborts its migrations into this node (after
     * a failed Restore, or when it restarted), and only those.
     */
    @Override
    public void abort(AbortRequest request, StreamObserver<AbortResponse> response) {
        answer(response, () -> {
            PeerIdentity caller = PeerIdentity.current();
            String id = Identifiers.migrationId(request.getMigrationId());
            if (!caller.controller()) {
                return incomingPods
                        .abort(id, request.getReason(), caller.nodeName())
                        .orElseGet(() -> incoming.abort(id, request.getReason(), caller.nodeName()));
            }
            return outgoing.abort(id, request.getReason())
                    .or(() -> incomingPods.abort(id, request.getReason(), ""))
                    .orElseGet(() -> incoming.abort(id, request.getReason(), ""));
        });
    }

    @Override
    public void getMigration(GetMigrationRequest request, StreamObserver<MigrationStatus> response) {
        answer(response, () -> {
            PeerIdentity.current().requireController("GetMigration");
            String id = Identifiers.migrationId(request.getMigrationId());
            return outgoing.status(id)
                    .or(() -> incomingPods.status(id))
                    .or(() -> incoming.status(id))
                    .orElseThrow(() -> Status.NOT_FOUND
                            .withDescription("no migration " + id + " on node " + nodeName)
                            .asRuntimeException());
        });
    }

    private <T> void answer(StreamObserver<T> response, Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (RuntimeException e) {
            log.error("unexpected failure on node {}", nodeName, e);
            response.onError(Status.INTERNAL
                    .withDescription("node " + nodeName + ": " + e)
                    .asRuntimeException());
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
