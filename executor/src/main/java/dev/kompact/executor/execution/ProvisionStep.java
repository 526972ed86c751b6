package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.optimizer.model.CapacityType;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Launches the instance for an added node, from its planned offering or else the first alternative EC2 can fill
 * (recorded in the step's status and an Event), and waits until its Node is Ready. The launch token is derived from
 * the plan and step, so a launch repeated after a crash returns the same instance rather than buying a second.
 */
final class ProvisionStep implements StepHandler {

    @Override
    public StepResult advance(StepContext context, PlanStep step, StepStatus status) {
        if (status.state == StepState.Pending) {
            LaunchedInstance instance = context.cloud.launch(new LaunchRequest(
                    token(context.planName(), step.id),
                    placements(step),
                    capacityType(step),
                    Map.of(KompactApi.PLAN_LABEL, context.planName())));
            status.instanceId = instance.instanceId();
            status.providerId = instance.providerId().toString();
            status.instanceType = instance.offering().instanceType();
            status.zone = instance.zone();
            status.state = StepState.InProgress;
            status.startedAt = context.now().toString();
            context.planEvent(
                    EventReasons.NODE_LAUNCHED,
                    "launched " + instance.instanceId() + " (" + instance.offering() + ", " + step.capacityType
                            + ") for " + step.node + substitution(step, instance),
                    false);
            return StepResult.CHANGED;
        }
        Optional<Node> node = context.cluster.nodes().stream()
                .filter(n -> status.providerId.equals(Nodes.providerId(n)))
                .findFirst();
        if (node.isPresent() && Nodes.isReady(node.get())) {
            status.nodeName = node.get().getMetadata().getName();
            context.planEvent(
                    EventReasons.NODE_READY,
                    "node " + status.nodeName + " (" + status.instanceId + ") is Ready",
                    false);
            return StepResult.done("node " + status.nodeName + " is Ready");
        }
        if (context.isPast(status.startedAt, context.settings.nodeReady())) {
            // an instance that never became a Ready node holds no pod: giving it back is safe, keeping it only costs
            context.cloud.terminate(status.instanceId);
            return StepResult.fail(
                    StopReasons.NODE_NOT_READY,
                    "instance " + status.instanceId + " launched for "
                            + step.node + " did not become a Ready node within " + context.settings.nodeReady()
                            + "; it was terminated. Check the node's bootstrap (user data, IAM role, security groups)");
        }
        return StepResult.WAIT;
    }

    private static CapacityType capacityType(PlanStep step) {
        return CapacityType.fromLabel(step.capacityType)
                .orElseThrow(() -> new IllegalArgumentException("step " + step.id + ": capacityType \""
                        + step.capacityType + "\" is neither on-demand nor spot"));
    }

    private static List<Offering> placements(PlanStep step) {
        List<Offering> placements = new ArrayList<>();
        placements.add(new Offering(step.instanceType, step.zone));
        if (step.alternatives != null) {
            step.alternatives.forEach(a -> placements.add(new Offering(a.instanceType, a.zone)));
        }
        return placements;
    }

    /** Says so when EC2 filled an alternative, and why the offerings before it were passed over. */
    private static String substitution(PlanStep step, LaunchedInstance instance) {
        if (instance.offering().equals(new Offering(step.instanceType, step.zone))) {
            return "";
        }
        return " instead of the planned " + step.instanceType + " in " + step.zone + ": "
                + String.join("; ", instance.passedOver());
    }

    /** 64 hex characters: within EC2's ClientToken limit whatever the plan's name. */
    static String token(String planName, String stepId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((planName + "/" + stepId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
