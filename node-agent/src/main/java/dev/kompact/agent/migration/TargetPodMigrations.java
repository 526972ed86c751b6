package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.RestoreSpool;
import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.PreparePodRequest;
import dev.kompact.agent.v1.PrepareResponse;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The target side of pod migrations into this node: the target pod exists (the controller created it, bound here,
 * RuntimeClass kompact-restore), and its kubelet creates its containers through containerd, each parked by the
 * restore wrapper ({@link RestoreSpool}).
 *
 * <ol>
 *   <li>PreparePod: remember the migration (target pod, container names, the source pod's address). Nothing is
 *       created: the kubelet creates the sandbox.</li>
 *   <li>Receive ({@link PodImageIntake}): the image stream, root "pod", one directory per container name.</li>
 *   <li>RestorePod ({@link TargetPodMigration#restore}): for each container in the pod spec's order, wait until the
 *       kubelet's CreateContainer parked it, check its bundle ({@code MigrationBundleRules}), add the source pod's
 *       address to the target pod's namespace (first container only), and answer the wrapper "restore". Once every
 *       container runs: the commit marker (committed/ID), a gratuitous ARP, OK.</li>
 *   <li>Abort, before the commit marker: kill what was restored, fail the parked creations (the kubelet reports
 *       CreateContainerError, the controller deletes the target pod), remove the address.</li>
 * </ol>
 * Not yet done: surviving a restart of this agent mid-migration (its parked wrappers give up after their deadline,
 * so the target pod runs nothing, but the committed marker is the only record).
 */
public final class TargetPodMigrations {
    private final TargetPodMigration.Node node;
    private final Path stateDir;
    private final long maxImageBytes;
    private final long maxImageEntries;
    private final Map<String, TargetPodMigration> incoming = new ConcurrentHashMap<>();

    public TargetPodMigrations(
            String nodeName,
            Path stateDir,
            ContainerRuntime runtime,
            SandboxNetwork network,
            RestoreSpool spool,
            long maxImageBytes,
            long maxImageEntries) {
        this.node =
                new TargetPodMigration.Node(nodeName, runtime, network, spool, new TargetOutcomes(nodeName, stateDir));
        this.stateDir = stateDir;
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
    }

    /** @param request its identifiers checked, and sent by the agent of its source node */
    public PrepareResponse prepare(PreparePodRequest request) {
        String id = request.getMigrationId();
        if (incoming.containsKey(id) || node.outcomes().committed(id)) {
            throw Status.ALREADY_EXISTS
                    .withDescription("migration " + id + " is already known on node " + node.name())
                    .asRuntimeException();
        }
        List<String> names = List.copyOf(request.getContainerNamesList());
        TargetPodMigration in = new TargetPodMigration(
                node,
                id,
                request.getSourceNode(),
                request.getTargetPod(),
                names,
                new PodNetwork.Address(
                        request.getNetwork().getInterfaceName(),
                        request.getNetwork().getAddressCidr()),
                stateDir.resolve("incoming-pods").resolve(id),
                () -> incoming.remove(id));
        incoming.put(id, in);
        return PrepareResponse.getDefaultInstance();
    }

    public boolean has(String migrationId) {
        return incoming.containsKey(migrationId);
    }

    /** The stream of a prepared pod migration, whose header {@link #has} named. */
    public StreamObserver<ImageChunk> receive(
            ImageChunk header, String sender, StreamObserver<TransferImageResponse> response) {
        TargetPodMigration in = find(header.getHeader().getMigrationId(), sender);
        PodImageIntake intake = new PodImageIntake(node.name(), in, maxImageBytes, maxImageEntries, response);
        intake.onNext(header);
        return intake;
    }

    public RestoreResponse restore(String migrationId, String sender) {
        return find(migrationId, sender).restore();
    }

    /** Empty when this node has no pod migration of that id. */
    public Optional<AbortResponse> abort(String migrationId, String reason, String sender) {
        TargetPodMigration in = incoming.get(migrationId);
        if (in == null) {
            if (node.outcomes().committed(migrationId)) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("migration " + migrationId + " is committed on node " + node.name())
                        .asRuntimeException();
            }
            return Optional.empty();
        }
        if (!sender.isEmpty()) {
            checkSender(in, sender);
        }
        return Optional.of(in.abort(reason));
    }

    public Optional<MigrationStatus> status(String migrationId) {
        return Optional.ofNullable(incoming.get(migrationId)).map(in -> in.record.snapshot());
    }

    private TargetPodMigration find(String migrationId, String sender) {
        TargetPodMigration in = incoming.get(migrationId);
        if (in == null) {
            throw Status.NOT_FOUND
                    .withDescription("pod migration " + migrationId + " was not prepared on node " + node.name()
                            + " (or was aborted): call PreparePod first")
                    .asRuntimeException();
        }
        checkSender(in, sender);
        return in;
    }

    private static void checkSender(TargetPodMigration in, String sender) {
        if (!in.sourceNode.equals(sender)) {
            throw PeerIdentity.denied("migration " + in.id + " comes from node " + in.sourceNode
                    + ": the agent of node " + sender + " may not act on it");
        }
    }
}
