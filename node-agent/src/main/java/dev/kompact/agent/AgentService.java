package dev.kompact.agent;

import dev.kompact.agent.migration.SourceMigrations;
import dev.kompact.agent.migration.TargetMigrations;
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

/** The gRPC face of one agent: turns calls into source or target work and every failure into a status. */
final class AgentService extends NodeAgentGrpc.NodeAgentImplBase {
  private static final Logger log = LoggerFactory.getLogger(AgentService.class);

  private final String nodeName;
  private final CapabilitiesResponse capabilities;
  private final SourceMigrations outgoing;
  private final TargetMigrations incoming;

  AgentService(String nodeName, CapabilitiesResponse capabilities, SourceMigrations outgoing,
      TargetMigrations incoming) {
    this.nodeName = nodeName;
    this.capabilities = capabilities;
    this.outgoing = outgoing;
    this.incoming = incoming;
  }

  @Override
  public void health(HealthRequest request, StreamObserver<HealthResponse> response) {
    answer(response, () -> HealthResponse.newBuilder().setNodeName(nodeName).setServing(true).build());
  }

  @Override
  public void capabilities(CapabilitiesRequest request, StreamObserver<CapabilitiesResponse> response) {
    answer(response, () -> capabilities);
  }

  @Override
  public void prepare(PrepareRequest request, StreamObserver<PrepareResponse> response) {
    answer(response, () -> incoming.prepare(request));
  }

  @Override
  public StreamObserver<ImageChunk> transferImage(StreamObserver<TransferImageResponse> response) {
    return incoming.receive(response);
  }

  @Override
  public void restore(RestoreRequest request, StreamObserver<RestoreResponse> response) {
    answer(response, () -> incoming.restore(request.getMigrationId(), request.getPageServerAddress()));
  }

  @Override
  public void migrate(MigrateRequest request, StreamObserver<MigrationStatus> response) {
    answer(response, () -> outgoing.migrate(request));
  }

  @Override
  public void abort(AbortRequest request, StreamObserver<AbortResponse> response) {
    answer(response, () -> outgoing.abort(request.getMigrationId(), request.getReason())
        .orElseGet(() -> incoming.abort(request.getMigrationId(), request.getReason())));
  }

  @Override
  public void getMigration(GetMigrationRequest request, StreamObserver<MigrationStatus> response) {
    answer(response, () -> outgoing.status(request.getMigrationId())
        .or(() -> incoming.status(request.getMigrationId()))
        .orElseThrow(() -> Status.NOT_FOUND.withDescription("no migration " + request.getMigrationId()
            + " on node " + nodeName).asRuntimeException()));
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
      response.onError(Status.INTERNAL.withDescription("node " + nodeName + ": " + e).asRuntimeException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
