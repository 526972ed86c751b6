package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.PrepareResponse;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target side of migrations into this node.
 *
 * <ol>
 *   <li>Prepare: create the pod's network namespace with its address on a link that is down, and persist what was
 *       created (incoming/ID/migration.properties) so that a crashed agent can clean it up on start.</li>
 *   <li>Receive: write the image stream (checkpoint under incoming/ID, bundle under bundles/ID), validated.</li>
 *   <li>Restore: bring the link up, restore, and persist the commit marker (committed/ID) before answering: from
 *       then on the container here is the pod, and Abort is refused.</li>
 *   <li>Abort, before the commit marker: kill what was restored, delete namespace and files.</li>
 * </ol>
 * A container of a migration runs here only if its Restore succeeded; an unknown migration id has nothing here.
 */
public final class TargetMigrations {
  private static final Logger log = LoggerFactory.getLogger(TargetMigrations.class);

  private final String nodeName;
  private final Path stateDir;
  private final ContainerRuntime runtime;
  private final PodNetwork network;
  private final long maxImageBytes;
  private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();

  public TargetMigrations(String nodeName, Path stateDir, ContainerRuntime runtime, PodNetwork network,
      long maxImageBytes) {
    this.nodeName = nodeName;
    this.stateDir = stateDir;
    this.runtime = runtime;
    this.network = network;
    this.maxImageBytes = maxImageBytes;
  }

  /**
   * A previous agent process may have died mid-migration: a restored container is kept (its source stays frozen
   * when it cannot confirm an abort, so this copy is the pod); everything else of that migration is removed.
   */
  public void cleanUpAfterCrash() {
    Path dir = stateDir.resolve("incoming");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> leftovers = Files.list(dir)) {
      for (Path leftover : leftovers.toList()) {
        if (!Files.exists(leftover.resolve("migration.properties"))) {
          deleteTree(leftover); // Prepare died before creating anything
          continue;
        }
        Incoming in = Incoming.load(leftover);
        boolean runs = runtime.find(in.containerId).map(ContainerRuntime.ContainerInfo::running).orElse(false);
        if (runs || Files.exists(committedMarker(in.id))) {
          log.info("migration {} of {} had restored before the agent stopped: keeping the container", in.id,
              in.containerId);
          markCommitted(in.id);
          deleteTree(leftover);
        } else {
          log.info("cleaning up migration {} of {} left unfinished by a previous agent process", in.id,
              in.containerId);
          discard(in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up " + dir + ": " + e.getMessage(), e);
    }
  }

  public PrepareResponse prepare(PrepareRequest request) {
    String id = Names.check("migration id", request.getMigrationId());
    String containerId = Names.check("container id", request.getContainerId());
    if (runtime.find(containerId).isPresent()) {
      throw Status.ALREADY_EXISTS.withDescription("container " + containerId + " already exists on node "
          + nodeName + ": a pod cannot be migrated onto a node that has it").asRuntimeException();
    }
    if (incoming.containsKey(id) || Files.exists(committedMarker(id))) {
      throw Status.ALREADY_EXISTS.withDescription("migration " + id + " is already known on node " + nodeName)
          .asRuntimeException();
    }
    PodNetwork.Address address = new PodNetwork.Address(request.getNetwork().getInterfaceName(),
        request.getNetwork().getAddressCidr());
    Incoming in = new Incoming(id, containerId, network.namespaceFor(containerId), address,
        stateDir.resolve("incoming").resolve(id), stateDir.resolve("bundles").resolve(id));
    in.save();
    try {
      network.create(containerId, address);
    } catch (RuntimeException e) {
      deleteTree(in.dir);
      throw Status.FAILED_PRECONDITION.withDescription("cannot prepare the pod network of " + containerId
          + " on node " + nodeName + ": " + e.getMessage()).asRuntimeException();
    }
    incoming.put(id, in);
    log.info("prepared migration {} of {} into {}", id, containerId, in.namespace);
    return PrepareResponse.newBuilder().setNetworkNamespace(in.namespace.toString()).build();
  }

  public StreamObserver<ImageChunk> receive(StreamObserver<TransferImageResponse> response) {
    return new StreamObserver<>() {
      private Incoming in;
      private ImageReceiver receiver;
      private boolean failed;

      @Override
      public void onNext(ImageChunk chunk) {
        if (failed) {
          return;
        }
        try {
          if (receiver == null) {
            start(chunk);
          } else {
            receiver.accept(chunk);
          }
        } catch (ImageRejectedException e) {
          fail(e.status());
        } catch (StatusRuntimeException e) {
          fail(e.getStatus());
        } catch (RuntimeException e) {
          fail(Status.INTERNAL.withDescription("node " + nodeName + " cannot store the image: " + e.getMessage()));
        }
      }

      private void start(ImageChunk chunk) {
        if (!chunk.hasHeader()) {
          throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
              "corrupt image: the stream must start with a header"));
        }
        in = find(chunk.getHeader().getMigrationId());
        synchronized (in) {
          if (in.record.phase() != Phase.PREPARED) {
            throw Status.FAILED_PRECONDITION.withDescription("migration " + in.id + " is " + in.record.phase()
                + " on node " + nodeName + ", not PREPARED: it cannot receive an image").asRuntimeException();
          }
          in.record.phase(Phase.TRANSFERRING);
        }
        receiver = new ImageReceiver(Map.of("checkpoint", in.checkpointDir(), "bundle", in.bundleDir),
            chunk.getHeader().getTotalBytes(), maxImageBytes);
      }

      @Override
      public void onError(Throwable t) {
        if (!failed) {
          log.warn("image stream of migration {} broke off: {}", in == null ? "?" : in.id, t.toString());
          reset();
        }
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        if (receiver == null) {
          fail(Status.INVALID_ARGUMENT.withDescription("corrupt image: empty stream"));
          return;
        }
        try {
          long bytes = receiver.finish();
          in.record.imageBytes(bytes);
          in.record.phase(Phase.RECEIVED);
          response.onNext(TransferImageResponse.newBuilder().setBytesReceived(bytes).build());
          response.onCompleted();
        } catch (ImageRejectedException e) {
          fail(e.status());
        }
      }

      private void fail(Status status) {
        failed = true;
        log.warn("rejected image of migration {}: {}", in == null ? "?" : in.id, status);
        reset();
        response.onError(status.asRuntimeException());
      }

      /** A broken or rejected image is deleted; the migration may receive again or be aborted. */
      private void reset() {
        if (receiver != null) {
          receiver.abandon();
        }
        if (in != null) {
          synchronized (in) {
            deleteTree(in.checkpointDir());
            deleteTree(in.bundleDir);
            if (in.record.phase() == Phase.TRANSFERRING) {
              in.record.phase(Phase.PREPARED);
            }
          }
        }
      }
    };
  }

  public RestoreResponse restore(String migrationId) {
    Incoming in = find(migrationId);
    synchronized (in) {
      if (in.record.phase() != Phase.RECEIVED) {
        throw Status.FAILED_PRECONDITION.withDescription("migration " + in.id + " is " + in.record.phase()
            + " on node " + nodeName + ": only a completely received image can be restored").asRuntimeException();
      }
      in.record.phase(Phase.RESTORING);
      long start = System.nanoTime();
      try {
        BundleConfig config = BundleConfig.read(in.bundleDir);
        config.setNetworkNamespace(in.namespace);
        config.setCgroupsPath("/kompact/" + nodeName + "/" + in.containerId);
        config.write();
        network.linkUp(in.namespace, in.address);
        runtime.restore(in.containerId, in.bundleDir, in.checkpointDir(), in.dir.resolve("work"));
      } catch (RuntimeException e) {
        log.warn("restore of migration {} failed on node {}: {}", in.id, nodeName, e.getMessage());
        discard(in);
        throw Status.INTERNAL.withDescription("restore of " + in.containerId + " failed on node " + nodeName
            + " (nothing left there): " + e.getMessage()).asRuntimeException();
      }
      markCommitted(in.id);
      in.record.phase(Phase.COMMITTED);
      long millis = (System.nanoTime() - start) / 1_000_000;
      in.record.timings(t -> t.setRestoreMillis(millis));
      deleteTree(in.dir);
      network.announce(in.namespace, in.address);
      log.info("migration {}: {} runs on node {} after a {} ms restore", in.id, in.containerId, nodeName, millis);
      return RestoreResponse.newBuilder().setRestoreMillis(millis).build();
    }
  }

  public AbortResponse abort(String migrationId, String reason) {
    Names.check("migration id", migrationId);
    if (Files.exists(committedMarker(migrationId))) {
      throw Status.FAILED_PRECONDITION.withDescription("migration " + migrationId + " is committed on node "
          + nodeName + ": the container runs here and is the pod now").asRuntimeException();
    }
    Incoming in = incoming.get(migrationId);
    if (in == null) {
      return AbortResponse.newBuilder().setPhase(Phase.ABORTED).build();
    }
    synchronized (in) {
      if (in.record.phase() == Phase.COMMITTED) {
        throw Status.FAILED_PRECONDITION.withDescription("migration " + migrationId + " is committed on node "
            + nodeName).asRuntimeException();
      }
      log.info("aborting migration {} of {} on node {}: {}", in.id, in.containerId, nodeName, reason);
      discard(in);
      return AbortResponse.newBuilder().setPhase(Phase.ABORTED).build();
    }
  }

  public Optional<MigrationStatus> status(String migrationId) {
    Incoming in = incoming.get(migrationId);
    if (in != null) {
      return Optional.of(in.record.snapshot());
    }
    if (Files.exists(committedMarker(migrationId))) {
      return Optional.of(MigrationStatus.newBuilder().setMigrationId(migrationId).setPhase(Phase.COMMITTED).build());
    }
    return Optional.empty();
  }

  private Incoming find(String migrationId) {
    Incoming in = incoming.get(migrationId);
    if (in == null) {
      throw Status.NOT_FOUND.withDescription("migration " + migrationId + " was not prepared on node " + nodeName
          + " (or was aborted): call Prepare first").asRuntimeException();
    }
    return in;
  }

  /** Only a container this migration restored can exist here: Prepare refused ids that existed. */
  private void discard(Incoming in) {
    runtime.delete(in.containerId);
    network.delete(in.namespace);
    deleteTree(in.bundleDir);
    deleteTree(in.dir);
    in.record.phase(Phase.ABORTED);
    incoming.remove(in.id);
  }

  private Path committedMarker(String migrationId) {
    return stateDir.resolve("committed").resolve(migrationId);
  }

  private void markCommitted(String migrationId) {
    try {
      Files.createDirectories(committedMarker(migrationId).getParent());
      Files.writeString(committedMarker(migrationId), nodeName + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the commit of migration " + migrationId + ": " + e, e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  private static final class Incoming {
    final String id;
    final String containerId;
    final Path namespace;
    final PodNetwork.Address address;
    final Path dir;
    final Path bundleDir;
    final MigrationRecord record;

    Incoming(String id, String containerId, Path namespace, PodNetwork.Address address, Path dir, Path bundleDir) {
      this.id = id;
      this.containerId = containerId;
      this.namespace = namespace;
      this.address = address;
      this.dir = dir;
      this.bundleDir = bundleDir;
      this.record = new MigrationRecord(id, containerId, Phase.PREPARED);
    }

    Path checkpointDir() {
      return dir.resolve("checkpoint");
    }

    void save() {
      Properties p = new Properties();
      p.setProperty("container", containerId);
      p.setProperty("namespace", namespace.toString());
      p.setProperty("interface", address.interfaceName());
      p.setProperty("address", address.cidr());
      p.setProperty("bundle", bundleDir.toString());
      try {
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve("migration.properties"))) {
          p.store(w, "created by Prepare; removed on commit or abort");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record migration " + id + " in " + dir + ": " + e, e);
      }
    }

    static Incoming load(Path dir) throws IOException {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(dir.resolve("migration.properties"))) {
        p.load(r);
      }
      return new Incoming(dir.getFileName().toString(), p.getProperty("container"),
          Path.of(p.getProperty("namespace")),
          new PodNetwork.Address(p.getProperty("interface"), p.getProperty("address")), dir,
          Path.of(p.getProperty("bundle")));
    }
  }
}
