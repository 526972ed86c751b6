package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One step's journal entry; times are RFC 3339. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepStatus {

    public String id;
    public StepState state = StepState.Pending;
    public String message;
    public String startedAt;
    public String finishedAt;
    public Integer attempts;
    public String retryAt;
    /** Since when the step's every look has ended in an error; cleared by a look that does not. */
    public String failingSince;

    /** Provision and Terminate: the instance, and its Node once known. */
    public String instanceId;
    /** Provision: the offering EC2 filled, the planned one or an alternative. */
    public String instanceType;

    public String zone;
    public String providerId;
    public String nodeName;

    /**
     * Move: the pod (by UID, since a StatefulSet's replacement keeps the name), its controller, and how many of the
     * controller's pods were Ready before the move: the count the replacement must restore.
     */
    public String podUid;

    public String ownerUid;
    public Integer readyBefore;
    public String evictedAt;
    public String migrationId;

    /** A live move: how far its handoff got, and the target pod it created. */
    public HandoffPhase handoff;

    public String targetPod;

    /** A live move on a cloud-routed pod network: the address the cloud may have moved, until it is moved back. */
    public String podAddress;

    /**
     * Where the cloud put {@link #podAddress}: the target node's network interface, by its MAC address and its subnet's
     * CIDR, which the target's agent routes the address by. Journaled with the move, so a controller restarted after
     * it still names the interface to the agents.
     */
    public String targetEniMac;

    public String targetEniSubnet;

    /**
     * The source's interface the cloud took {@link #podAddress} from, to return it there on a rollback; unknown when
     * the controller crashed between the move and its journal write.
     */
    public String podAddressOrigin;
}
