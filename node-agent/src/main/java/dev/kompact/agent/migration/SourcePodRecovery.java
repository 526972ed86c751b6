package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
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
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes, at agent start, the pod migrations out of this node that a previous agent process left unfinished
 * (outgoing-pods/ID/pod.properties, written before the freeze). The pod's containers are frozen, or were never
 * frozen, and its link may be down; the target alone knows whether it runs the pod, so it is asked to Abort:
 * <ol>
 *   <li>aborted (it holds no copy, and will never start one): thaw the containers and bring the link up: the pod
 *       runs here again, its connections intact;</li>
 *   <li>refused as committed: the pod runs there: kill the frozen containers here;</li>
 *   <li>unreachable: leave the pod frozen and the record in place, and try again at the next start: never two
 *       running copies.</li>
 * </ol>
 */
public final class SourcePodRecovery {
    private static final Logger log = LoggerFactory.getLogger(SourcePodRecovery.class);
    private static final String RECORD = "pod.properties";

    private final Path outgoingDir;
    private final ContainerRuntime runtime;
    private final SandboxNetwork network;
    private final PeerAgents peers;

    public SourcePodRecovery(Path stateDir, ContainerRuntime runtime, SandboxNetwork network, PeerAgents peers) {
        this.outgoingDir = stateDir.resolve("outgoing-pods");
        this.runtime = runtime;
        this.network = network;
        this.peers = peers;
    }

    /** What another agent process needs to finish a pod migration. */
    record Outgoing(
            String migrationId,
            String target,
            List<String> containerIds,
            List<String> cgroupsPaths,
            Path namespace,
            PodNetwork.Address address) {

        void save(Path workDir) {
            Properties p = new Properties();
            p.setProperty("target", target);
            p.setProperty("containers", String.join(",", containerIds));
            p.setProperty("cgroups", String.join(",", cgroupsPaths));
            p.setProperty("namespace", namespace.toString());
            p.setProperty("interface", address.interfaceName());
            p.setProperty("address", address.cidr());
            try {
                Files.createDirectories(workDir);
                try (Writer w = Files.newBufferedWriter(workDir.resolve(RECORD))) {
                    p.store(w, "written before the pod's freeze; removed on commit or rollback");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record pod migration " + migrationId + ": " + e, e);
            }
        }

        static Outgoing load(Path workDir) throws IOException {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(workDir.resolve(RECORD))) {
                p.load(r);
            }
            return new Outgoing(
                    workDir.getFileName().toString(),
                    p.getProperty("target"),
                    Arrays.asList(p.getProperty("containers").split(",")),
                    Arrays.asList(p.getProperty("cgroups").split(",")),
                    Path.of(p.getProperty("namespace")),
                    new PodNetwork.Address(p.getProperty("interface"), p.getProperty("address")));
        }
    }

    public void recover() {
        if (!Files.isDirectory(outgoingDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(outgoingDir)) {
            for (Path dir : dirs.toList()) {
                if (Files.exists(dir.resolve(RECORD))) {
                    recover(dir, Outgoing.load(dir));
                } else {
                    FileTrees.deleteTree(dir); // died before the record: nothing was frozen
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + outgoingDir + ": " + e, e);
        }
    }

    private void recover(Path dir, Outgoing pod) {
        String id = pod.migrationId();
        PodFreezer freezer = new PodFreezer(pod.cgroupsPaths());
        try {
            peers.blocking(pod.target())
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .abort(AbortRequest.newBuilder()
                            .setMigrationId(id)
                            .setReason("the source agent restarted before the commit")
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                pod.containerIds().forEach(this::killQuietly);
                freezer.thaw();
                FileTrees.deleteTree(dir);
                log.info("pod migration {} had committed on {}: its frozen copy here is killed", id, pod.target());
            } else {
                log.error(
                        "pod migration {}: target {} cannot say whether it runs the pod ({}); it stays frozen here"
                                + " until an agent start reaches the target",
                        id,
                        pod.target(),
                        e.getStatus());
            }
            return;
        }
        network.linkUp(pod.namespace(), pod.address().interfaceName());
        freezer.thaw();
        FileTrees.deleteTree(dir);
        log.info("pod migration {} rolled back after an agent restart: the pod runs here again", id);
    }

    private void killQuietly(String containerId) {
        try {
            runtime.kill(containerId);
        } catch (RuntimeException e) {
            log.warn("killing {} failed: {}", containerId, e.getMessage());
        }
    }
}
