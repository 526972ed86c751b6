package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CheckpointRules;
import dev.kompact.agent.criu.CriuLog;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.net.VpcRoutes;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.MigrationBundleRules;
import dev.kompact.agent.runtime.PodSandbox;
import dev.kompact.agent.runtime.RestoreSpool;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.RestoreResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod migration into this node; {@link TargetPodMigrations} states the steps. Restore and Abort exclude each
 * other (both hold this object's lock).
 */
final class TargetPodMigration {
    private static final Logger log = LoggerFactory.getLogger(TargetPodMigration.class);
    static final String RESTORE_ANNOTATION = "kompact.dev/restore";
    /** The kubelet creates the next container once the previous one started: each may take an image pull. */
    private static final Duration CREATE_WAIT = RestoreSpool.PARK_DEADLINE;

    private static final Duration RESTORE_WAIT = Duration.ofMinutes(2);
    /** The containers this migration restored (or was about to), one runtime id a line. */
    static final String RESTORED = "restored";

    /** What every pod migration into this node works with. */
    record Node(
            String name,
            ContainerRuntime runtime,
            SandboxNetwork network,
            Optional<MovedVpcAddresses> vpc,
            RestoreSpool spool,
            TargetOutcomes outcomes) {}

    final String id;
    final String sourceNode;
    final PodRef pod;
    final List<String> names;
    final PodNetwork.Address address;
    /** {@link #address} first, then those earlier moves brought to the source pod: each added here as /32. */
    private final List<PodNetwork.Address> moving;
    /** With the VPC CNI: the ENI that holds {@link #address} now. */
    final Optional<VpcRoutes.EniLink> eni;

    final Path dir;
    final MigrationRecord record;
    private final Node node;
    private final Runnable forget;
    private final List<RestoreSpool.Parked> restored = new ArrayList<>();
    private Path namespace;
    /** The target pod's veth, down from its first container's restore until the commit. */
    private SandboxNetwork.Cut cut;

    TargetPodMigration(
            Node node,
            String id,
            String sourceNode,
            PodRef pod,
            List<String> names,
            PodNetwork.Address address,
            List<PodNetwork.Address> carried,
            Optional<VpcRoutes.EniLink> eni,
            Path dir,
            Runnable forget) {
        this.node = node;
        this.id = id;
        this.sourceNode = sourceNode;
        this.pod = pod;
        this.names = names;
        this.address = address;
        this.moving = java.util.stream.Stream.concat(java.util.stream.Stream.of(address), carried.stream())
                .toList();
        this.eni = eni;
        this.dir = dir;
        this.forget = forget;
        this.record = new MigrationRecord(id, pod.getNamespace() + "/" + pod.getName(), Phase.PREPARED);
    }

    Path imageDir() {
        return dir.resolve("pod");
    }

    synchronized RestoreResponse restore() {
        if (record.phase() != Phase.RECEIVED) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("pod migration " + id + " is " + record.phase() + " on node " + node.name()
                            + ": only a completely received image can be restored")
                    .asRuntimeException();
        }
        record.phase(Phase.RESTORING);
        long start = System.nanoTime();
        long criuMillis = 0;
        try {
            for (String name : names) {
                long waitStart = System.nanoTime();
                RestoreSpool.Parked parked = node.spool()
                        .await(c -> belongs(c, name), CREATE_WAIT)
                        .orElseThrow(() -> new IllegalStateException("container " + name + " of the target pod "
                                + podName() + " was not created on node " + node.name() + " within " + CREATE_WAIT
                                + " (the kubelet has not admitted the pod, or an image pull failed)"));
                BundleConfig config = BundleConfig.read(parked.bundle());
                checkBundle(parked, config, name);
                checkImages(config, name);
                if (namespace == null) {
                    namespace = config.networkNamespace()
                            .orElseThrow(() -> new IllegalStateException(
                                    "container " + name + " of " + podName() + " joins no pod network namespace"));
                    // dark until the commit: a copy restored here must not be heard before it is the pod, since
                    // a rollback resumes the source (and a killed copy's sockets would reset the connection)
                    cut = node.network().disconnect(namespace, address.interfaceName());
                    for (PodNetwork.Address each : moving) {
                        node.network().addAddress(namespace, each);
                    }
                    if (eni.isPresent()) {
                        String veth = node.network().hostEnd(namespace, address.interfaceName());
                        node.vpc().orElseThrow().add(id, address.ip(), eni.get(), veth);
                    }
                }
                long parkedAfter = (System.nanoTime() - waitStart) / 1_000_000;
                Path work = FileTrees.createDirectories(dir.resolve("work").resolve(name));
                long restoreStart = System.nanoTime();
                // recorded first: an agent restarted before the commit kills it ({@link TargetPodMigrations})
                FileTrees.append(dir.resolve(RESTORED), parked.containerId() + "\n");
                node.spool().restore(parked, imageDir().resolve(name), work);
                restored.add(parked);
                int exit = node.spool().awaitDone(parked, RESTORE_WAIT).orElse(-1);
                if (exit != 0) {
                    throw new IllegalStateException("runc restore of container " + name + " failed (exit " + exit
                            + "): " + CriuLog.errors(node.runtime().restoreLog(work)));
                }
                long criu =
                        CriuLog.elapsedMillis(node.runtime().restoreLog(work)).orElse(0);
                criuMillis += criu;
                // where a pod's restore time goes: the kubelet creates each container after the previous one started
                log.info(
                        "pod migration {}: container {} parked after {} ms, restored in {} ms (CRIU {} ms)",
                        id,
                        name,
                        parkedAfter,
                        (System.nanoTime() - restoreStart) / 1_000_000,
                        criu);
            }
            CommittedPodNetwork.persist(dir, namespace, cut, moving, eni.isPresent());
        } catch (StatusRuntimeException e) {
            discard();
            throw Status.ABORTED.withDescription(e.getStatus().getDescription()).asRuntimeException();
        } catch (RuntimeException e) {
            log.warn("restore of pod migration {} failed on node {}: {}", id, node.name(), e.getMessage());
            discard();
            throw Status.ABORTED
                    .withDescription("restore of pod " + podName() + " failed on node " + node.name()
                            + " (nothing of it runs there): " + e.getMessage())
                    .asRuntimeException();
        }
        // every container runs: from here the source's copy must never run again
        node.outcomes().markCommitted(id);
        String warning =
                CommittedPodNetwork.connect(id, node.network(), eni.flatMap(e -> node.vpc()), namespace, cut, moving);
        long millis = (System.nanoTime() - start) / 1_000_000;
        record.timings(t -> t.setRestoreMillis(millis));
        record.phase(Phase.COMMITTED);
        FileTrees.deleteTree(dir);
        forget.run();
        log.info("pod migration {}: {} runs on node {} after a {} ms restore", id, podName(), node.name(), millis);
        return RestoreResponse.newBuilder()
                .setRestoreMillis(millis)
                .setCriuRestoreMillis(criuMillis)
                .setWarning(warning)
                .build();
    }

    /** A container the wrapper parked for this migration: the restore annotation and the pod's identity match. */
    private boolean belongs(RestoreSpool.Parked parked, String name) {
        Map<String, String> a;
        try {
            a = BundleConfig.read(parked.bundle()).annotations();
        } catch (IllegalArgumentException e) {
            return false; // removed meanwhile
        }
        return id.equals(a.get(RESTORE_ANNOTATION))
                && name.equals(a.get(SourcePod.CONTAINER_NAME))
                && pod.getNamespace().equals(a.get(SourcePod.SANDBOX_NAMESPACE))
                && pod.getName().equals(a.get(SourcePod.SANDBOX_NAME))
                && (pod.getUid().isEmpty() || pod.getUid().equals(a.get(SourcePod.SANDBOX_UID)));
    }

    /**
     * The source's image is restored as root into this bundle: it must stay within what any migrated container may
     * have, whatever the target pod's spec asked for (docs/security.md).
     */
    private void checkBundle(RestoreSpool.Parked parked, BundleConfig config, String name) {
        String sandboxId = config.annotations().getOrDefault(SourcePod.SANDBOX_ID, "");
        List<Long> pause = sandboxId.isEmpty() ? List.of() : node.runtime().processes(sandboxId);
        PodSandbox sandbox = new PodSandbox(sandboxId, pause.isEmpty() ? -1 : pause.get(0));
        List<String> beyond = MigrationBundleRules.violations(config, sandbox);
        if (!beyond.isEmpty()) {
            throw Status.PERMISSION_DENIED
                    .withDescription("container " + name + " of the target pod " + podName() + " asks for more than"
                            + " a migrated container may have on node " + node.name() + ": "
                            + String.join("; ", beyond))
                    .asRuntimeException();
        }
    }

    /** The received checkpoint may restore no more than this bundle grants (capabilities, credentials, mounts). */
    private void checkImages(BundleConfig config, String name) {
        List<String> beyond = CheckpointRules.violations(imageDir().resolve(name), config);
        if (!beyond.isEmpty()) {
            throw Status.PERMISSION_DENIED
                    .withDescription("the checkpoint of container " + name + " of " + podName() + " from node "
                            + sourceNode + " would restore more than its bundle grants on node " + node.name() + ": "
                            + String.join("; ", beyond))
                    .asRuntimeException();
        }
    }

    synchronized AbortResponse abort(String reason) {
        if (record.phase() == Phase.COMMITTED || node.outcomes().committed(id)) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("pod migration " + id + " is committed on node " + node.name())
                    .asRuntimeException();
        }
        log.info("aborting pod migration {} of {} on node {}: {}", id, podName(), node.name(), reason);
        discard();
        return AbortResponse.newBuilder().setPhase(Phase.ABORTED).build();
    }

    /** Kills what was restored, fails the parked creations, removes the address: the target pod runs nothing. */
    private void discard() {
        for (RestoreSpool.Parked container : restored) {
            node.runtime().kill(container.containerId());
        }
        for (RestoreSpool.Parked parked : node.spool().parked()) {
            if (names.stream().anyMatch(n -> belongs(parked, n))) {
                node.spool().abort(parked, "pod migration " + id + " was aborted");
            }
        }
        if (namespace != null) {
            for (PodNetwork.Address each : moving) {
                node.network().removeAddress(namespace, each);
            }
        }
        node.vpc().ifPresent(vpc -> vpc.remove(id, address.ip()));
        FileTrees.deleteTree(dir);
        record.phase(Phase.ABORTED);
        forget.run();
    }

    private String podName() {
        return pod.getNamespace() + "/" + pod.getName();
    }
}
