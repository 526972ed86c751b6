package dev.kompact.agent.migration;

import dev.kompact.agent.net.Eni;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.net.VpcRoutes;
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
import io.grpc.StatusRuntimeException;
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
 *       kubelet's CreateContainer parked it, check its bundle ({@code MigrationBundleRules}), take the target pod's
 *       link down and add the source pod's address (first container only), and answer the wrapper "restore". Once
 *       every container runs: the commit marker (committed/ID), the link up, a gratuitous ARP, OK, even when the
 *       latter fail ({@link CommittedPodNetwork}: a warning in the answer).</li>
 *   <li>Abort, before the commit marker: kill what was restored (its link still down: it was never heard), fail
 *       the parked creations (the kubelet reports CreateContainerError, the controller deletes the target pod),
 *       remove the address.</li>
 * </ol>
 * A restart of this agent before the commit ({@link #cleanUpAfterCrash}) kills what the migration restored, so that
 * the source's Abort is answered truthfully: no copy here; after it, the restart connects the pod. Parked creations
 * left unanswered give up at their deadline.
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
            Optional<VpcRoutes> vpc,
            RestoreSpool spool,
            long maxImageBytes,
            long maxImageEntries) {
        this.node = new TargetPodMigration.Node(
                nodeName,
                runtime,
                network,
                vpc.map(routes -> new MovedVpcAddresses(stateDir, routes)),
                spool,
                new TargetOutcomes(nodeName, stateDir));
        this.stateDir = stateDir;
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
    }

    /**
     * At agent start: a pod migration left before its commit marker may have restored some containers; they are
     * killed (their source thaws once it hears Abort answered), and the migration forgotten. After the marker, the
     * containers are the pod, connected now if the agent stopped before it connected them.
     */
    public void cleanUpAfterCrash() {
        node.vpc().ifPresent(vpc -> vpc.cleanUpAfterCrash(node.outcomes()::committed));
        Path dir = stateDir.resolve("incoming-pods");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (var migrations = java.nio.file.Files.list(dir)) {
            for (Path migration : migrations.toList()) {
                String id = migration.getFileName().toString();
                Path restored = migration.resolve(TargetPodMigration.RESTORED);
                if (node.outcomes().committed(id)) {
                    CommittedPodNetwork.connectAfterCrash(id, migration, node.network(), node.vpc());
                } else if (java.nio.file.Files.exists(restored)) {
                    for (String containerId : java.nio.file.Files.readAllLines(restored)) {
                        if (!containerId.isBlank()) {
                            node.runtime().kill(containerId);
                        }
                    }
                }
                FileTrees.deleteTree(migration);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + dir + ": " + e, e);
        }
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
        PodNetwork.Address address = new PodNetwork.Address(
                request.getNetwork().getInterfaceName(), request.getNetwork().getAddressCidr());
        List<PodNetwork.Address> carried = request.getNetwork().getCarriedCidrsList().stream()
                .map(cidr -> new PodNetwork.Address(address.interfaceName(), cidr))
                .toList();
        node.vpc().ifPresent(MovedVpcAddresses::removeGone);
        TargetPodMigration in = new TargetPodMigration(
                node,
                id,
                request.getSourceNode(),
                request.getTargetPod(),
                names,
                address,
                carried,
                eni(request, address),
                stateDir.resolve("incoming-pods").resolve(id),
                () -> incoming.remove(id));
        incoming.put(id, in);
        return PrepareResponse.getDefaultInstance();
    }

    /**
     * With the VPC CNI, the ENI the controller moved the address to, found on this node: refused here, before the
     * source freezes, when it is missing, malformed, not in the address's subnet, or not attached to this node.
     */
    private Optional<VpcRoutes.EniLink> eni(PreparePodRequest request, PodNetwork.Address address) {
        String id = request.getMigrationId();
        if (node.vpc().isEmpty()) {
            if (request.hasTargetEni()) {
                throw invalid(
                        id,
                        "names a target ENI, but this agent runs with --pod-network bridge (the controller"
                                + " with vpc-cni): both must say the same");
            }
            return Optional.empty();
        }
        if (!request.hasTargetEni()) {
            throw invalid(
                    id,
                    "names no target ENI, which this agent (--pod-network vpc-cni) needs to route the"
                            + " moved address: is the controller started with --pod-network vpc-cni too?");
        }
        if (request.getNetwork().getCarriedCidrsCount() > 0) {
            throw invalid(
                    id,
                    "carries addresses of earlier moves beside the pod's own " + address.ip() + ": the VPC CNI"
                            + " moves only a pod's own address (its source refuses such a pod: evict it)");
        }
        try {
            Eni eni = new Eni(
                    request.getTargetEni().getMacAddress(),
                    request.getTargetEni().getSubnetCidr());
            if (!eni.contains(address.ip())) {
                throw new IllegalArgumentException("the address " + address.ip() + " is not in the ENI's subnet "
                        + eni.subnetCidr() + " (a VPC address never leaves its subnet)");
            }
            return Optional.of(node.vpc().get().routes().link(eni));
        } catch (IllegalArgumentException e) {
            throw invalid(id, e.getMessage());
        }
    }

    private StatusRuntimeException invalid(String migrationId, String why) {
        return Status.INVALID_ARGUMENT
                .withDescription("pod migration " + migrationId + " into node " + node.name() + ": " + why)
                .asRuntimeException();
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

    /** Empty when this node has no pod migration of that id in progress. */
    public Optional<AbortResponse> abort(String migrationId, String reason, String sender) {
        TargetPodMigration in = incoming.get(migrationId);
        if (in == null) {
            return Optional.empty(); // the container migrations' Abort answers, also for a committed pod migration
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
