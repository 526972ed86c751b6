package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.v1.AbortRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes, at agent start, the migrations out of this node that a previous agent process left between its
 * checkpoint and its commit (outgoing/ID/migration.properties, written before the checkpoint):
 *
 * <ol>
 *   <li>The container still runs here: the checkpoint never completed. Abort the target; done.</li>
 *   <li>No complete image: nothing can be resumed; say so and keep the record for an operator.</li>
 *   <li>Ask the target to Abort. Aborted: it has no copy, so resume the container here (rollback). Refused as
 *       committed: the pod runs there, so delete the namespace and image here (commit). Unreachable: keep
 *       everything and retry at the next start; the container stays stopped, never running twice.</li>
 * </ol>
 */
public final class SourceRecovery {
  private static final Logger log = LoggerFactory.getLogger(SourceRecovery.class);
  private static final String RECORD = "migration.properties";

  private final Path outgoingDir;
  private final ContainerRuntime runtime;
  private final PodNetwork network;
  private final PeerAgents peers;

  public SourceRecovery(Path stateDir, ContainerRuntime runtime, PodNetwork network, PeerAgents peers) {
    this.outgoingDir = stateDir.resolve("outgoing");
    this.runtime = runtime;
    this.network = network;
    this.peers = peers;
  }

  /** What a migration needs to be finished by another agent process; deleted with its work directory. */
  record Outgoing(String migrationId, String containerId, Path bundle, Path namespace, PodNetwork.Address address,
      String target) {

    void save(Path workDir) {
      Properties p = new Properties();
      p.setProperty("container", containerId);
      p.setProperty("bundle", bundle.toString());
      p.setProperty("namespace", namespace.toString());
      p.setProperty("interface", address.interfaceName());
      p.setProperty("address", address.cidr());
      p.setProperty("target", target);
      try {
        Files.createDirectories(workDir);
        try (Writer w = Files.newBufferedWriter(workDir.resolve(RECORD))) {
          p.store(w, "written before the checkpoint; removed on commit or rollback");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record migration " + migrationId + " in " + workDir + ": " + e, e);
      }
    }

    static Outgoing load(Path workDir) throws IOException {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(workDir.resolve(RECORD))) {
        p.load(r);
      }
      return new Outgoing(workDir.getFileName().toString(), p.getProperty("container"),
          Path.of(p.getProperty("bundle")), Path.of(p.getProperty("namespace")),
          new PodNetwork.Address(p.getProperty("interface"), p.getProperty("address")), p.getProperty("target"));
    }
  }

  public void recover() {
    if (!Files.isDirectory(outgoingDir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(outgoingDir)) {
      for (Path workDir : dirs.toList()) {
        if (!Files.exists(workDir.resolve(RECORD))) {
          TargetMigrations.deleteTree(workDir); // died before the checkpoint: nothing was touched
          continue;
        }
        recover(Outgoing.load(workDir), workDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read unfinished migrations in " + outgoingDir + ": " + e, e);
    }
  }

  private void recover(Outgoing out, Path workDir) {
    boolean runs = runtime.find(out.containerId()).map(ContainerRuntime.ContainerInfo::running).orElse(false);
    if (runs) {
      log.info("migration {}: {} still runs here; cancelling it on the target", out.migrationId(),
          out.containerId());
      abort(out);
      TargetMigrations.deleteTree(workDir);
      return;
    }
    Path image = workDir.resolve("checkpoint");
    if (!Files.exists(image.resolve("inventory.img"))) {
      log.error("migration {}: {} is not running and its checkpoint in {} is incomplete: it cannot be resumed;"
          + " check node behind {} and delete {} once resolved", out.migrationId(), out.containerId(), image,
          out.target(), workDir);
      return;
    }
    Status answer = abort(out);
    if (answer.isOk()) {
      network.linkUp(out.namespace(), out.address());
      runtime.restore(out.containerId(), out.bundle(), image, workDir.resolve("recovery"));
      network.announce(out.namespace(), out.address());
      TargetMigrations.deleteTree(workDir);
      log.info("migration {} rolled back after an agent restart: {} runs here again", out.migrationId(),
          out.containerId());
    } else if (answer.getCode() == Status.Code.FAILED_PRECONDITION) {
      network.delete(out.namespace());
      TargetMigrations.deleteTree(workDir);
      log.info("migration {} had committed before the agent restarted: {} runs on {}", out.migrationId(),
          out.containerId(), out.target());
    } else {
      log.error("migration {}: target {} cannot confirm whether {} runs there ({}); it stays stopped here, image"
          + " kept in {}; retried at the next agent start", out.migrationId(), out.target(), out.containerId(),
          answer, image);
    }
  }

  private Status abort(Outgoing out) {
    try {
      peers.blocking(out.target()).withDeadlineAfter(30, TimeUnit.SECONDS).abort(AbortRequest.newBuilder()
          .setMigrationId(out.migrationId()).setReason("the source agent restarted mid-migration").build());
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }
}
