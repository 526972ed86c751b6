package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.PreparePodRequest;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.RestoreRequest;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source migration's calls to its target agent, each bounded, and what their failures mean for the pod. */
final class TargetAgent {
    private static final Logger log = LoggerFactory.getLogger(TargetAgent.class);
    private static final long RPC_SECONDS = 30;
    /** Post-copy: Restore answers once the target holds every page. */
    private static final long LAZY_RESTORE_SECONDS = 600;
    /**
     * Restore failures that are the target's own answer, not a lost one: the target then holds no container. ABORTED
     * is the target's "restore failed and rolled back"; INTERNAL is not here: it is also what an unexpected failure
     * after the container ran (e.g. persisting the commit) answers, or a proxy's or the transport's own error.
     */
    private static final EnumSet<Status.Code> DEFINITE = EnumSet.of(
            Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.ABORTED,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.PERMISSION_DENIED,
            Status.Code.UNIMPLEMENTED);

    /** What the target says after a failed Restore. */
    enum Answer {
        /** It has no copy, and will never start one. */
        ABORTED,
        /** Its copy ran: the source's must never run again. */
        COMMITTED,
        /** Unreachable: either may be true. */
        UNKNOWN
    }

    private final PeerAgents peers;
    private final String address;
    private final String migrationId;
    private final String containerId;
    private final String sourceNode;

    TargetAgent(PeerAgents peers, String address, String migrationId, String containerId, String sourceNode) {
        this.peers = peers;
        this.address = address;
        this.migrationId = migrationId;
        this.containerId = containerId;
        this.sourceNode = sourceNode;
    }

    String address() {
        return address;
    }

    void prepare(PodNetwork.Address pod, Strategy strategy) {
        try {
            peers.blocking(address)
                    .withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS)
                    .prepare(PrepareRequest.newBuilder()
                            .setMigrationId(migrationId)
                            .setContainerId(containerId)
                            .setSourceNode(sourceNode)
                            .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                                    .setAddressCidr(pod.cidr())
                                    .setInterfaceName(pod.interfaceName()))
                            .setStrategy(strategy)
                            .build());
        } catch (StatusRuntimeException e) {
            String why = e.getStatus().getCode() == Status.Code.UNAVAILABLE
                            || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? "target agent " + address + " is unreachable"
                    : "target agent refused";
            throw e.getStatus()
                    .withDescription("prepare of " + containerId + " failed, " + why + " ("
                            + e.getStatus().getDescription() + "); the container still runs on " + sourceNode)
                    .asRuntimeException();
        }
    }

    /** @param eni passed on only when the controller named one: the target tells "none" from an empty one */
    void preparePod(
            PodRef targetPod,
            List<String> containerNames,
            PodNetwork.Address pod,
            List<PodNetwork.Address> carried,
            Optional<NetworkInterface> eni) {
        PreparePodRequest.Builder request = PreparePodRequest.newBuilder()
                .setMigrationId(migrationId)
                .setSourceNode(sourceNode)
                .setTargetPod(targetPod)
                .addAllContainerNames(containerNames)
                .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                        .setAddressCidr(pod.cidr())
                        .setInterfaceName(pod.interfaceName())
                        .addAllCarriedCidrs(
                                carried.stream().map(a -> a.ip() + "/32").toList()));
        eni.ifPresent(request::setTargetEni);
        try {
            peers.blocking(address)
                    .withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS)
                    .preparePod(request.build());
        } catch (StatusRuntimeException e) {
            throw e.getStatus()
                    .withDescription("prepare of pod " + containerId + " on " + address + " failed ("
                            + e.getStatus().getDescription() + "); it still runs on " + sourceNode)
                    .asRuntimeException();
        }
    }

    /** Bounded by the kubelet creating each container in turn, each parked up to the wrapper's deadline. */
    RestoreResponse restorePod() {
        return peers.blocking(address)
                .withDeadlineAfter(LAZY_RESTORE_SECONDS, TimeUnit.SECONDS)
                .restorePod(
                        RestoreRequest.newBuilder().setMigrationId(migrationId).build());
    }

    ImageStream imageStream() {
        return new ImageStream(peers.async(address));
    }

    /** @param pageServerAddress post-copy: where the target fetches the pages; empty otherwise */
    RestoreResponse restore(String pageServerAddress) {
        long deadline = pageServerAddress.isEmpty() ? RPC_SECONDS : LAZY_RESTORE_SECONDS;
        return peers.blocking(address)
                .withDeadlineAfter(deadline, TimeUnit.SECONDS)
                .restore(RestoreRequest.newBuilder()
                        .setMigrationId(migrationId)
                        .setPageServerAddress(pageServerAddress)
                        .build());
    }

    /** Whatever Restore's error, only the target can say whether a copy runs there: Abort makes sure none will. */
    Answer abortAfterFailedRestore(Status restoreError) {
        try {
            abort("restore failed or its answer was lost");
            return Answer.ABORTED;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                return Answer.COMMITTED;
            }
            // unreachable now, but Restore's own error may still be the target's definite answer
            return DEFINITE.contains(restoreError.getCode()) ? Answer.ABORTED : Answer.UNKNOWN;
        }
    }

    /** Best effort: the target agent may be gone; it cleans up what is left when it starts again. */
    void abortQuietly(String reason) {
        try {
            abort(reason);
        } catch (StatusRuntimeException e) {
            log.warn(
                    "migration {}: abort on target {} failed ({}); it cleans up when its agent restarts",
                    migrationId,
                    address,
                    e.getStatus());
        }
    }

    private void abort(String reason) {
        peers.blocking(address)
                .withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS)
                .abort(AbortRequest.newBuilder()
                        .setMigrationId(migrationId)
                        .setReason(reason)
                        .build());
    }

    InetAddress host() {
        String host = address.substring(0, Math.max(0, address.lastIndexOf(':')));
        try {
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("target address " + address + " has no resolvable host", e);
        }
    }
}
