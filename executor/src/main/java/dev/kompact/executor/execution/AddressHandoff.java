package dev.kompact.executor.execution;

import dev.kompact.agent.net.Eni;
import dev.kompact.executor.cloud.AddressRefusedException;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.crd.HandoffPhase;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * The handoff's address step on a pod network whose addresses the cloud routes (docs/live-migration.md, "3. The
 * address"): the restored sockets are bound to the source pod's address, so the cloud must route it to the target
 * node before the freeze, the last moment the controller acts before the agents restore. The address is recorded in
 * the journal before the cloud is asked, so that a rollback, after a restart too, moves it back; a refusal changed
 * nothing, so its rollback has nothing to move.
 */
final class AddressHandoff {

    private AddressHandoff() {}

    /** Once the target pod is up: the address phase where the cloud routes addresses, else straight to the freeze. */
    static StepResult afterTarget(StepContext context, StepStatus status, Pod source) {
        if (context.addresses.isEmpty()) {
            status.handoff = HandoffPhase.Freezing;
            return StepResult.CHANGED;
        }
        String address = source.getStatus() == null ? null : source.getStatus().getPodIP();
        if (address == null || address.isBlank()) {
            return PodHandoff.rollingBack(status, "the pod reports no address (status.podIP) to move");
        }
        status.podAddress = address;
        status.handoff = HandoffPhase.Address;
        return StepResult.CHANGED;
    }

    static StepResult move(StepContext context, PlanStep step, StepStatus status, boolean bothPodsExist) {
        if (!bothPodsExist) {
            status.podAddress = null;
            return PodHandoff.rollingBack(status, "the source or target pod was deleted before the address moved");
        }
        String target = context.nodeName(step.to);
        try {
            PodAddresses.Moved moved = port(context, status)
                    .move(status.podAddress, instance(context, step.from), instance(context, target));
            status.targetEniMac = moved.target().mac();
            status.targetEniSubnet = moved.target().subnetCidr();
            status.podAddressOrigin = moved.origin().orElse(null);
        } catch (AddressRefusedException e) {
            status.podAddress = null;
            return PodHandoff.rollingBack(status, "the pod's address cannot move: " + e.getMessage());
        }
        status.message = "address " + status.podAddress + " routed to " + target;
        status.handoff = HandoffPhase.Freezing;
        return StepResult.CHANGED;
    }

    /** A rollback's first act, before the target pod goes: empty when no address was moved. */
    static Optional<StepResult> moveBack(StepContext context, PlanStep step, StepStatus status) {
        if (status.podAddress == null) {
            return Optional.empty();
        }
        try {
            port(context, status)
                    .moveBack(
                            status.podAddress,
                            instance(context, step.from),
                            instance(context, context.nodeName(step.to)),
                            Optional.ofNullable(status.podAddressOrigin));
        } catch (AddressRefusedException e) {
            return Optional.of(StepResult.fail(
                    StopReasons.MIGRATION_FAILED,
                    "pod " + step.pod + " runs on " + step.from + " again, but its address " + status.podAddress
                            + " cannot be routed back to it, so it is unreachable: " + e.getMessage()));
        }
        status.message = status.message + "; address " + status.podAddress + " routed back to " + step.from;
        status.podAddress = null;
        status.targetEniMac = null;
        status.targetEniSubnet = null;
        status.podAddressOrigin = null;
        return Optional.of(StepResult.CHANGED);
    }

    /** The target's interface the journal says the address went to, for the agents: none where no address moved. */
    static Optional<Eni> targetEni(StepStatus status) {
        return status.targetEniMac == null
                ? Optional.empty()
                : Optional.of(new Eni(status.targetEniMac, status.targetEniSubnet));
    }

    private static PodAddresses port(StepContext context, StepStatus status) {
        return context.addresses.orElseThrow(() -> new IllegalStateException("address " + status.podAddress
                + " of migration " + status.migrationId + " may be routed to either node, but this controller runs"
                + " without a cloud-routed pod network: restart it with --pod-network vpc-cni"));
    }

    private static String instance(StepContext context, String node) {
        return context.cluster
                .node(node)
                .flatMap(n -> ProviderId.parse(n.getSpec().getProviderID()))
                .map(ProviderId::instanceId)
                .orElseThrow(() -> new AddressRefusedException(
                        "node " + node + " is gone or has no AWS providerID, so its instance is unknown"));
    }
}
