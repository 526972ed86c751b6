package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CriuLog;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.ReadyProcess;
import dev.kompact.agent.transfer.ImageChain;
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
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target side of migrations into this node.
 *
 * <ol>
 *   <li>Prepare: create the pod's network namespace with its address on a link that is down, and persist what was
 *       created (incoming/ID/migration.properties) so that a crashed agent can clean it up on start.</li>
 *   <li>Receive: write the image streams (checkpoint and pre-copy rounds under incoming/ID, bundle under
 *       bundles/ID), validated; the bundle may come first, before the source freezes, pre-copy rounds while it
 *       runs. RECEIVED once the final checkpoint came, after its bundle, its parent chain checked.</li>
 *   <li>Restore: bring the link up, restore, and persist the commit marker (committed/ID) as soon as the container
 *       runs: from then on the container here is the pod, and Abort is refused. Post-copy: a lazy-pages daemon
 *       fetches the memory from the source's page relay while the container runs, through a {@link PageTunnel}
 *       (mutual TLS); Restore answers when it has all of it. A "pages-pending" file marks that time: if the daemon
 *       fails, or this agent restarts and finds the file, the container is killed (its missing pages would read as
 *       zeroes) and the pod is lost (lost/ID says so to GetMigration; the commit marker stays, so that Abort keeps
 *       refusing and the source never resumes its stale copy).</li>
 *   <li>Abort, before the commit marker: kill what was restored, delete namespace and files.</li>
 * </ol>
 * A container of a migration runs here only if its Restore succeeded; an unknown migration id has nothing here.
 */
public final class TargetMigrations {
  private static final Logger log = LoggerFactory.getLogger(TargetMigrations.class);
  /** Post-copy: present from the restore until every page arrived. */
  private static final String PAGES_PENDING = "pages-pending";
  private static final String CHECKPOINT = "checkpoint";
  private static final String BUNDLE = "bundle";
  private static final Duration PAGES_TIMEOUT = Duration.ofMinutes(10);

  private final String nodeName;
  private final Path stateDir;
  private final ContainerRuntime runtime;
  private final PodNetwork network;
  private final long maxImageBytes;
  private final SSLContext pageTls;
  private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();

  /** @param pageTls this agent's identity, for post-copy's pages from the source's relay */
  public TargetMigrations(String nodeName, Path stateDir, ContainerRuntime runtime, PodNetwork network,
      long maxImageBytes, SSLContext pageTls) {
    this.nodeName = nodeName;
    this.stateDir = stateDir;
    this.runtime = runtime;
    this.network = network;
    this.maxImageBytes = maxImageBytes;
    this.pageTls = pageTls;
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
        boolean restored = runs || Files.exists(committedMarker(in.id));
        if (restored && Files.exists(leftover.resolve(PAGES_PENDING))) {
          // post-copy, stopped while fetching pages: the rest of its memory is gone with the lazy-pages daemon
          String message = "migration " + in.id + ": " + in.containerId + " ran on node " + nodeName + " before all"
              + " its memory arrived, and the agent stopped: killed, the pod is lost";
          log.error(message);
          runtime.delete(in.containerId);
          markCommitted(in.id);
          markLost(in.id, message);
          discard(in);
        } else if (restored) {
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
      private Map<String, Path> roots;
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
          roots = in.rootsOf(chunk.getHeader().getRootsList());
          for (var root : roots.entrySet()) {
            deleteTree(root.getValue()); // sent again: replaces what came before
            in.received.remove(root.getKey());
          }
          in.record.phase(Phase.TRANSFERRING);
        }
        // the node's bound holds for the migration's streams together
        long kept = in.receivedBytes();
        long declared = chunk.getHeader().getTotalBytes();
        if (kept + declared > maxImageBytes) {
          throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image of " + declared
              + " bytes after " + kept + " received for migration " + in.id + " exceeds this node's bound of "
              + maxImageBytes + " bytes (agent flag --max-image-bytes)"));
        }
        receiver = new ImageReceiver(roots, declared, maxImageBytes - kept);
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
          synchronized (in) {
            if (roots.containsKey(BUNDLE)) {
              // done on receipt: the bundle usually comes before the source freezes, and this is then off the freeze
              BundleConfig config = BundleConfig.read(in.bundleDir);
              config.setNetworkNamespace(in.namespace);
              config.setCgroupsPath("/kompact/" + nodeName + "/" + in.containerId);
              config.write();
            }
            in.received.addAll(roots.keySet());
            in.record.imageBytes(in.record.snapshot().getImageBytes() + bytes);
            in.record.phase(in.received(roots.keySet()));
          }
          response.onNext(TransferImageResponse.newBuilder().setBytesReceived(bytes).build());
          response.onCompleted();
        } catch (ImageRejectedException e) {
          fail(e.status());
        } catch (IllegalArgumentException e) {
          fail(Status.INVALID_ARGUMENT.withDescription("corrupt image: " + e.getMessage()));
        } catch (RuntimeException e) {
          fail(Status.INTERNAL.withDescription("node " + nodeName + " cannot store the image: " + e.getMessage()));
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
            if (roots != null) {
              roots.values().forEach(TargetMigrations::deleteTree);
              in.received.removeAll(roots.keySet());
            }
            if (in.record.phase() == Phase.TRANSFERRING) {
              in.record.phase(Phase.PREPARED);
            }
          }
        }
      }
    };
  }

  public RestoreResponse restore(String migrationId, String pageServerAddress) {
    Incoming in = find(migrationId);
    InetSocketAddress source = pageServerAddress.isEmpty() ? null : pageServer(pageServerAddress);
    synchronized (in) {
      if (in.record.phase() != Phase.RECEIVED) {
        throw Status.FAILED_PRECONDITION.withDescription("migration " + in.id + " is " + in.record.phase()
            + " on node " + nodeName + ": only a completely received image can be restored").asRuntimeException();
      }
      in.record.phase(Phase.RESTORING);
      long start = System.nanoTime();
      ReadyProcess pages = null;
      PageTunnel tunnel = null;
      try {
        network.linkUp(in.namespace, in.address);
        if (source == null) {
          runtime.restore(in.containerId, in.bundleDir, in.checkpointDir(), in.dir.resolve("work"));
        } else {
          touch(in.dir.resolve(PAGES_PENDING));
          tunnel = new PageTunnel(in.id, pageTls, source);
          pages = runtime.restoreLazy(in.containerId, in.bundleDir, in.checkpointDir(), in.dir.resolve("work"),
              tunnel.address());
        }
      } catch (IOException | RuntimeException e) {
        if (tunnel != null) {
          tunnel.close();
        }
        log.warn("restore of migration {} failed on node {}: {}", in.id, nodeName, e.getMessage());
        discard(in);
        throw Status.INTERNAL.withDescription("restore of " + in.containerId + " failed on node " + nodeName
            + " (nothing left there): " + e.getMessage()).asRuntimeException();
      }
      // the container runs: from here its source copy must never run again, whatever happens to the pages
      markCommitted(in.id);
      long millis = (System.nanoTime() - start) / 1_000_000;
      long criuMillis = CriuLog.elapsedMillis(in.dir.resolve("work/restore.log")).orElse(0);
      in.record.timings(t -> t.setRestoreMillis(millis));
      network.announce(in.namespace, in.address);
      long pagesMillis;
      try {
        pagesMillis = pages == null ? 0 : awaitPages(in, pages);
      } finally {
        if (tunnel != null) {
          tunnel.close();
        }
      }
      in.record.timings(t -> t.setPagesMillis(pagesMillis));
      in.record.phase(Phase.COMMITTED);
      deleteTree(in.dir);
      log.info("migration {}: {} runs on node {} after a {} ms restore", in.id, in.containerId, nodeName, millis);
      return RestoreResponse.newBuilder().setRestoreMillis(millis).setPagesMillis(pagesMillis)
          .setCriuRestoreMillis(criuMillis).build();
    }
  }

  /**
   * Post-copy: the container runs while its memory arrives. If the lazy-pages daemon fails, the pages it did not
   * fetch would read as zeroes (the kernel fills a released userfaultfd range): the container is killed, and the pod
   * is lost, since its source copy is older than what ran here.
   */
  private long awaitPages(Incoming in, ReadyProcess pages) {
    long start = System.nanoTime();
    boolean ended = pages.waitFor(PAGES_TIMEOUT);
    if (ended && pages.exitCode() == 0) {
      deleteTree(in.dir.resolve(PAGES_PENDING));
      return (System.nanoTime() - start) / 1_000_000;
    }
    if (!ended) {
      pages.destroy();
    }
    String why = ended ? "exit " + pages.exitCode() : "still running after " + PAGES_TIMEOUT;
    String errors = lazyPagesLogTail(in.dir.resolve("work/lazy-pages.log"));
    runtime.delete(in.containerId);
    network.delete(in.namespace);
    deleteTree(in.bundleDir);
    String message = "migration " + in.id + ": " + in.containerId + " ran on node " + nodeName + " but its memory"
        + " did not all arrive (lazy-pages " + why + "; " + errors + "): killed, the pod is lost";
    in.record.failed(Phase.FAILED, message);
    markLost(in.id, message);
    incoming.remove(in.id);
    deleteTree(in.dir);
    log.error(message);
    throw Status.DATA_LOSS.withDescription(message).asRuntimeException();
  }

  private static String lazyPagesLogTail(Path file) {
    try {
      var errors = Files.readAllLines(file).stream().filter(l -> l.contains("Error")).toList();
      return String.join(" | ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
    } catch (IOException e) {
      return "no log";
    }
  }

  private static InetSocketAddress pageServer(String address) {
    int colon = address.lastIndexOf(':');
    try {
      InetSocketAddress parsed = new InetSocketAddress(address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1)));
      if (parsed.isUnresolved()) {
        throw new IllegalArgumentException("unresolved host");
      }
      return parsed;
    } catch (RuntimeException e) {
      throw Status.INVALID_ARGUMENT.withDescription("page_server_address '" + address + "' is not host:port")
          .asRuntimeException();
    }
  }

  private static void touch(Path file) {
    try {
      Files.writeString(file, "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public AbortResponse abort(String migrationId, String reason) {
    Names.check("migration id", migrationId);
    if (Files.exists(committedMarker(migrationId))) {
      throw Status.FAILED_PRECONDITION.withDescription("migration " + migrationId + " is committed on node "
          + nodeName + ": the container ran here, so the source's copy is stale and must not run again"
          + (Files.exists(lostMarker(migrationId)) ? " (the pod was lost here too)" : "")).asRuntimeException();
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
    try {
      if (Files.exists(lostMarker(migrationId))) {
        return Optional.of(MigrationStatus.newBuilder().setMigrationId(migrationId).setPhase(Phase.FAILED)
            .setError(Files.readString(lostMarker(migrationId))).build());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read what became of migration " + migrationId + ": " + e, e);
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

  private Path lostMarker(String migrationId) {
    return stateDir.resolve("lost").resolve(migrationId);
  }

  /**
   * Next to the commit marker, which keeps refusing Abort (the source copy is stale and must never run again): says
   * that the container that ran here is gone too.
   */
  private void markLost(String migrationId, String message) {
    try {
      Files.createDirectories(lostMarker(migrationId).getParent());
      Files.writeString(lostMarker(migrationId), message);
    } catch (IOException e) {
      log.warn("cannot record that migration {} lost its pod: {}", migrationId, e.toString());
    }
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
    /** The stream roots received completely. */
    final Set<String> received = ConcurrentHashMap.newKeySet();

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

    /** Where each top-level name of a stream goes; an empty list is the single stream of checkpoint and bundle. */
    Map<String, Path> rootsOf(List<String> names) {
      Map<String, Path> roots = new LinkedHashMap<>();
      int preDumps = preDumps();
      for (String name : names.isEmpty() ? List.of(CHECKPOINT, BUNDLE) : names) {
        if (name.equals(BUNDLE)) {
          roots.put(name, bundleDir);
        } else if (name.equals(CHECKPOINT)) {
          roots.put(name, checkpointDir());
        } else if (name.equals("pre-" + (preDumps + 1))) {
          roots.put(name, dir.resolve(name));
          preDumps++;
        } else {
          throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription("corrupt image: stream root '"
              + name + "' is none of bundle, checkpoint, pre-" + (preDumps + 1) + " (the next pre-copy round)"));
        }
      }
      return roots;
    }

    long receivedBytes() {
      long bytes = 0;
      for (String root : received) {
        Path path = root.equals(BUNDLE) ? bundleDir : dir.resolve(root);
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
            bytes += Files.size(file);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot measure " + path + ": " + e.getMessage(), e);
        }
      }
      return bytes;
    }

    int preDumps() {
      return (int) received.stream().filter(r -> r.startsWith("pre-")).count();
    }

    /**
     * The phase after a stream of {@code roots} arrived: RECEIVED once the final image came, with its bundle and a
     * parent chain through every pre-dump received; PREPARED while more is to come.
     */
    Phase received(Set<String> roots) {
      if (!roots.contains(CHECKPOINT)) {
        return Phase.PREPARED;
      }
      if (!received.contains(BUNDLE)) {
        throw new ImageRejectedException(Status.FAILED_PRECONDITION.withDescription("the final image of migration "
            + id + " arrived before its bundle"));
      }
      ImageChain.check(dir, preDumps());
      return Phase.RECEIVED;
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
