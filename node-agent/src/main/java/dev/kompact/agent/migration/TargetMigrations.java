package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.v1.AbortResponse;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.PrepareResponse;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target side of migrations into this node: one {@link TargetMigration} per migration id.
 *
 * <ol>
 *   <li>Prepare: create the pod's network namespace with its address on a link that is down, and persist what was
 *       created (incoming/ID/migration.properties) so that a crashed agent can clean it up on start
 *       ({@link TargetRecovery}).</li>
 *   <li>Receive ({@link ImageIntake}): write the image streams (checkpoint and pre-copy rounds under incoming/ID,
 *       bundle under bundles/ID), validated; the bundle may come first, before the source freezes, pre-copy rounds
 *       while it runs. RECEIVED once the final checkpoint came, after its bundle, its parent chain checked.</li>
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

    private final TargetMigration.Node node;
    private final Path stateDir;
    private final long maxImageBytes;
    private final long maxImageEntries;
    private final Map<String, TargetMigration> incoming = new ConcurrentHashMap<>();

    /** @param pageTls this agent's identity, for post-copy's pages from the source's relay */
    public TargetMigrations(
            String nodeName,
            Path stateDir,
            ContainerRuntime runtime,
            PodNetwork network,
            long maxImageBytes,
            long maxImageEntries,
            SSLContext pageTls) {
        this.node =
                new TargetMigration.Node(nodeName, runtime, network, pageTls, new TargetOutcomes(nodeName, stateDir));
        this.stateDir = stateDir;
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
    }

    /** A previous agent process may have died mid-migration; see {@link TargetRecovery}. */
    public void cleanUpAfterCrash() {
        new TargetRecovery(node, stateDir.resolve("incoming")).recover();
    }

    /** @param request its identifiers checked, and sent by the agent of its source node */
    public PrepareResponse prepare(PrepareRequest request) {
        String id = request.getMigrationId();
        String containerId = request.getContainerId();
        if (node.runtime().find(containerId).isPresent()) {
            throw Status.ALREADY_EXISTS
                    .withDescription("container " + containerId + " already exists on node " + node.name()
                            + ": a pod cannot be migrated onto a node that has it")
                    .asRuntimeException();
        }
        if (incoming.containsKey(id) || node.outcomes().committed(id)) {
            throw Status.ALREADY_EXISTS
                    .withDescription("migration " + id + " is already known on node " + node.name())
                    .asRuntimeException();
        }
        PodNetwork.Address address = new PodNetwork.Address(
                request.getNetwork().getInterfaceName(), request.getNetwork().getAddressCidr());
        TargetMigration in = new TargetMigration(
                node,
                id,
                containerId,
                request.getSourceNode(),
                node.network().namespaceFor(containerId),
                address,
                stateDir.resolve("incoming").resolve(id),
                stateDir.resolve("bundles").resolve(id),
                () -> incoming.remove(id));
        in.save();
        try {
            node.network().create(containerId, address);
        } catch (RuntimeException e) {
            FileTrees.deleteTree(in.dir);
            throw Status.FAILED_PRECONDITION
                    .withDescription("cannot prepare the pod network of " + containerId + " on node " + node.name()
                            + ": " + e.getMessage())
                    .asRuntimeException();
        }
        incoming.put(id, in);
        log.info("prepared migration {} of {} into {}", id, containerId, in.namespace);
        return PrepareResponse.newBuilder()
                .setNetworkNamespace(in.namespace.toString())
                .build();
    }

    /** @param sender the calling agent's node, asked when the stream names its migration */
    public StreamObserver<ImageChunk> receive(Supplier<String> sender, StreamObserver<TransferImageResponse> response) {
        return new ImageIntake(
                node.name(),
                maxImageBytes,
                maxImageEntries,
                id -> find(Identifiers.migrationId(id), sender.get()),
                response);
    }

    public RestoreResponse restore(String migrationId, String pageServerAddress, String sender) {
        TargetMigration in = find(migrationId, sender);
        InetSocketAddress source = pageServerAddress.isEmpty() ? null : pageServer(pageServerAddress);
        return in.restore(source);
    }

    private static InetSocketAddress pageServer(String address) {
        int colon = address.lastIndexOf(':');
        try {
            InetSocketAddress parsed =
                    new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            if (parsed.isUnresolved()) {
                throw new IllegalArgumentException("unresolved host");
            }
            return parsed;
        } catch (RuntimeException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("page_server_address '" + address + "' is not host:port")
                    .asRuntimeException();
        }
    }

    /** @param sender the calling agent's node; empty when the controller calls */
    public AbortResponse abort(String migrationId, String reason, String sender) {
        if (node.outcomes().committed(migrationId)) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("migration " + migrationId + " is committed on node "
                            + node.name()
                            + ": the container ran here, so the source's copy is stale and must not run again"
                            + (node.outcomes().lost(migrationId) ? " (the pod was lost here too)" : ""))
                    .asRuntimeException();
        }
        TargetMigration in = incoming.get(migrationId);
        if (in == null) {
            return AbortResponse.newBuilder().setPhase(Phase.ABORTED).build();
        }
        if (!sender.isEmpty()) {
            checkSender(in, sender);
        }
        return in.abort(reason);
    }

    public Optional<MigrationStatus> status(String migrationId) {
        TargetMigration in = incoming.get(migrationId);
        if (in != null) {
            return Optional.of(in.record.snapshot());
        }
        Optional<String> lost = node.outcomes().lostReason(migrationId);
        if (lost.isPresent()) {
            return Optional.of(MigrationStatus.newBuilder()
                    .setMigrationId(migrationId)
                    .setPhase(Phase.FAILED)
                    .setError(lost.get())
                    .build());
        }
        if (node.outcomes().committed(migrationId)) {
            return Optional.of(MigrationStatus.newBuilder()
                    .setMigrationId(migrationId)
                    .setPhase(Phase.COMMITTED)
                    .build());
        }
        return Optional.empty();
    }

    private TargetMigration find(String migrationId, String sender) {
        TargetMigration in = incoming.get(migrationId);
        if (in == null) {
            throw Status.NOT_FOUND
                    .withDescription("migration " + migrationId + " was not prepared on node " + node.name()
                            + " (or was aborted): call Prepare first")
                    .asRuntimeException();
        }
        checkSender(in, sender);
        return in;
    }

    private static void checkSender(TargetMigration in, String sender) {
        if (!in.sourceNode.equals(sender)) {
            throw PeerIdentity.denied("migration " + in.id + " comes from node " + in.sourceNode
                    + ": the agent of node " + sender + " may not act on it");
        }
    }
}
