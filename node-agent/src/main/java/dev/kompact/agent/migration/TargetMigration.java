package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CheckpointRules;
import dev.kompact.agent.criu.CriuLog;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.ReadyProcess;
import dev.kompact.agent.transfer.ImageChain;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.RestoreResponse;
import io.grpc.Status;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration into this node, from Prepare to its commit or abort; {@link TargetMigrations} states the steps.
 * Its Restore and Abort exclude each other (both hold this object's lock).
 */
final class TargetMigration {
    private static final Logger log = LoggerFactory.getLogger(TargetMigration.class);
    /** Post-copy: present from the restore until every page arrived. */
    static final String PAGES_PENDING = "pages-pending";

    static final String CHECKPOINT = "checkpoint";
    static final String BUNDLE = "bundle";
    private static final String RECORD = "migration.properties";
    private static final Duration PAGES_TIMEOUT = Duration.ofMinutes(10);

    /** What every migration into this node works with. */
    record Node(
            String name, ContainerRuntime runtime, PodNetwork network, SSLContext pageTls, TargetOutcomes outcomes) {}

    final String id;
    final String containerId;
    /** The only agent that may send, restore or abort this migration: the one that prepared it. */
    final String sourceNode;

    final Path namespace;
    final PodNetwork.Address address;
    final Path dir;
    final Path bundleDir;
    final MigrationRecord record;
    /** The stream roots received completely. */
    final Set<String> received = ConcurrentHashMap.newKeySet();

    private final Node node;
    /** Called once this migration ended here without a container (aborted, failed, lost). */
    private final Runnable forget;

    TargetMigration(
            Node node,
            String id,
            String containerId,
            String sourceNode,
            Path namespace,
            PodNetwork.Address address,
            Path dir,
            Path bundleDir,
            Runnable forget) {
        this.node = node;
        this.id = id;
        this.containerId = containerId;
        this.sourceNode = sourceNode;
        this.namespace = namespace;
        this.address = address;
        this.dir = dir;
        this.bundleDir = bundleDir;
        this.forget = forget;
        this.record = new MigrationRecord(id, containerId, Phase.PREPARED);
    }

    String cgroupsPath() {
        return node.network().cgroupFor(containerId);
    }

    Path checkpointDir() {
        return dir.resolve(CHECKPOINT);
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
                throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                        "corrupt image: stream root '" + name + "' is none of bundle, checkpoint, pre-" + (preDumps + 1)
                                + " (the next pre-copy round)"));
            }
        }
        return roots;
    }

    long receivedBytes() {
        long bytes = 0;
        for (String root : received) {
            bytes += FileTrees.fileBytes(root.equals(BUNDLE) ? bundleDir : dir.resolve(root));
        }
        return bytes;
    }

    long receivedEntries() {
        long entries = 0;
        for (String root : received) {
            entries += FileTrees.entries(root.equals(BUNDLE) ? bundleDir : dir.resolve(root));
        }
        return entries;
    }

    private int preDumps() {
        return (int) received.stream().filter(r -> r.startsWith("pre-")).count();
    }

    /**
     * The phase after a stream of {@code roots} arrived: RECEIVED once the final image came, with its bundle, a
     * parent chain through every pre-dump received, and credentials and namespaces within the bundle's; PREPARED
     * while more is to come.
     */
    Phase received(Set<String> roots) {
        if (!roots.contains(CHECKPOINT)) {
            return Phase.PREPARED;
        }
        if (!received.contains(BUNDLE)) {
            throw new ImageRejectedException(Status.FAILED_PRECONDITION.withDescription(
                    "the final image of migration " + id + " arrived before its bundle"));
        }
        ImageChain.check(dir, preDumps());
        List<String> beyond = CheckpointRules.violations(checkpointDir(), BundleConfig.read(bundleDir));
        if (!beyond.isEmpty()) {
            throw new ImageRejectedException(Status.PERMISSION_DENIED.withDescription("the checkpoint of " + containerId
                    + " from node " + sourceNode + " would restore more than its bundle grants on node " + node.name()
                    + ": " + String.join("; ", beyond)));
        }
        return Phase.RECEIVED;
    }

    synchronized RestoreResponse restore(InetSocketAddress source) {
        if (record.phase() != Phase.RECEIVED) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("migration " + id + " is " + record.phase() + " on node " + node.name()
                            + ": only a completely received image can be restored")
                    .asRuntimeException();
        }
        record.phase(Phase.RESTORING);
        long start = System.nanoTime();
        ReadyProcess pages = null;
        PageTunnel tunnel = null;
        try {
            node.network().linkUp(namespace, address);
            if (source == null) {
                node.runtime().restore(containerId, bundleDir, checkpointDir(), workDir());
            } else {
                FileTrees.touch(dir.resolve(PAGES_PENDING));
                tunnel = new PageTunnel(id, node.pageTls(), source);
                pages = node.runtime()
                        .restoreLazy(
                                containerId, bundleDir, checkpointDir(), workDir(), tunnel.address(), tunnel::admit);
            }
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            log.warn("restore of migration {} failed on node {}: {}", id, node.name(), e.getMessage());
            discard();
            // ABORTED, not INTERNAL: the source may take this one as definite and resume its copy
            throw Status.ABORTED
                    .withDescription("restore of " + containerId + " failed on node " + node.name()
                            + " (nothing left there): " + e.getMessage())
                    .asRuntimeException();
        }
        // the container runs: from here its source copy must never run again, whatever happens to the pages
        node.outcomes().markCommitted(id);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long criuMillis =
                CriuLog.elapsedMillis(node.runtime().restoreLog(workDir())).orElse(0);
        record.timings(t -> t.setRestoreMillis(millis));
        node.network().announce(namespace, address);
        long pagesMillis;
        try {
            pagesMillis = pages == null ? 0 : awaitPages(pages);
        } finally {
            if (tunnel != null) {
                tunnel.close();
            }
        }
        record.timings(t -> t.setPagesMillis(pagesMillis));
        record.phase(Phase.COMMITTED);
        FileTrees.deleteTree(dir);
        log.info("migration {}: {} runs on node {} after a {} ms restore", id, containerId, node.name(), millis);
        return RestoreResponse.newBuilder()
                .setRestoreMillis(millis)
                .setPagesMillis(pagesMillis)
                .setCriuRestoreMillis(criuMillis)
                .build();
    }

    private Path workDir() {
        return dir.resolve("work");
    }

    /**
     * Post-copy: the container runs while its memory arrives. If the lazy-pages daemon fails, the pages it did not
     * fetch would read as zeroes (the kernel fills a released userfaultfd range): the container is killed, and the pod
     * is lost, since its source copy is older than what ran here.
     */
    private long awaitPages(ReadyProcess pages) {
        long start = System.nanoTime();
        boolean ended = pages.waitFor(PAGES_TIMEOUT);
        if (ended && pages.exitCode() == 0) {
            FileTrees.deleteTree(dir.resolve(PAGES_PENDING));
            return (System.nanoTime() - start) / 1_000_000;
        }
        if (!ended) {
            pages.destroy();
        }
        String why = ended ? "exit " + pages.exitCode() : "still running after " + PAGES_TIMEOUT;
        String errors = lazyPagesLogTail(node.runtime().lazyPagesLog(workDir()));
        node.runtime().delete(containerId);
        node.network().delete(namespace);
        FileTrees.deleteTree(bundleDir);
        String message = "migration " + id + ": " + containerId + " ran on node " + node.name() + " but its memory"
                + " did not all arrive (lazy-pages " + why + "; " + errors + "): killed, the pod is lost";
        record.failed(Phase.FAILED, message);
        node.outcomes().markLost(id, message);
        forget.run();
        FileTrees.deleteTree(dir);
        log.error(message);
        throw Status.DATA_LOSS.withDescription(message).asRuntimeException();
    }

    private static String lazyPagesLogTail(Path file) {
        try {
            var errors = Files.readAllLines(file).stream()
                    .filter(l -> l.contains("Error"))
                    .toList();
            return String.join(" | ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
        } catch (IOException e) {
            return "no log";
        }
    }

    synchronized AbortResponse abort(String reason) {
        // the marker, not the phase: the Restore this call waited for may have run the container, then lost it
        if (node.outcomes().committed(id)) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("migration " + id + " is committed on node " + node.name())
                    .asRuntimeException();
        }
        log.info("aborting migration {} of {} on node {}: {}", id, containerId, node.name(), reason);
        discard();
        return AbortResponse.newBuilder().setPhase(Phase.ABORTED).build();
    }

    /** Only a container this migration restored can exist here: Prepare refused ids that existed. */
    void discard() {
        node.runtime().delete(containerId);
        node.network().delete(namespace);
        FileTrees.deleteTree(bundleDir);
        FileTrees.deleteTree(dir);
        record.phase(Phase.ABORTED);
        forget.run();
    }

    /** Persisted before anything is created, so that {@link TargetRecovery} finds what to clean up. */
    void save() {
        Properties p = new Properties();
        p.setProperty("container", containerId);
        p.setProperty("source", sourceNode);
        p.setProperty("namespace", namespace.toString());
        p.setProperty("interface", address.interfaceName());
        p.setProperty("address", address.cidr());
        p.setProperty("bundle", bundleDir.toString());
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve(RECORD))) {
                p.store(w, "created by Prepare; removed on commit or abort");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record migration " + id + " in " + dir + ": " + e, e);
        }
    }

    static boolean saved(Path dir) {
        return Files.exists(dir.resolve(RECORD));
    }

    static TargetMigration load(Node node, Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(RECORD))) {
            p.load(r);
        }
        return new TargetMigration(
                node,
                dir.getFileName().toString(),
                p.getProperty("container"),
                p.getProperty("source", ""),
                Path.of(p.getProperty("namespace")),
                new PodNetwork.Address(p.getProperty("interface"), p.getProperty("address")),
                dir,
                Path.of(p.getProperty("bundle")),
                () -> {});
    }
}
