package dev.kompact.executor.cloud;

import dev.kompact.agent.net.Eni;
import java.util.Optional;

/**
 * The executor's port for a pod network whose addresses belong to nodes in the cloud (the AWS VPC CNI: a pod's IP is a
 * secondary private IP of one of its node's network interfaces). A live move keeps the pod's address, so the cloud
 * must route it to the target node before the restored sockets use it, and back if the move does not commit. Both
 * calls are idempotent: an address already where it is asked to go is left there, so a restarted controller calls
 * again.
 */
public interface PodAddresses {

    /**
     * Where {@link #move} put the address.
     *
     * @param target the target's network interface that holds it, which the target's agent routes it by
     * @param origin the cloud's name for the source's interface it came from, where the source pod's routes still
     *     send its replies; unknown when it was on the target already (a retry after a crash)
     */
    record Moved(Eni target, Optional<String> origin) {}

    /**
     * Routes {@code address}, held by {@code sourceInstance}, to {@code targetInstance}; from then on the source pod is
     * cut off until its processes run on the target.
     *
     * @throws AddressRefusedException when the address cannot go there; nothing was changed
     */
    Moved move(String address, String sourceInstance, String targetInstance);

    /**
     * Undoes {@link #move}: routes {@code address} back to {@code sourceInstance}, where the source pod runs again,
     * onto {@code origin} when it is known and has room.
     *
     * @throws AddressRefusedException when it cannot go back; nothing was changed
     */
    void moveBack(String address, String sourceInstance, String targetInstance, Optional<String> origin);
}
