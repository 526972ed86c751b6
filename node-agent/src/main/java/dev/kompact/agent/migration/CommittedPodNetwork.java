package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod restored here made reachable once its migration committed: its veth back up with its routes, the moved
 * address's host route (the VPC CNI), the gratuitous ARP. None of it may fail the migration: the pod runs here and its
 * source must never resume, so each failure is logged and becomes a warning in RestorePod's answer instead.
 */
final class CommittedPodNetwork {
    private static final Logger log = LoggerFactory.getLogger(CommittedPodNetwork.class);

    private CommittedPodNetwork() {}

    /** @return what failed, empty when nothing did */
    static String connect(
            String migrationId,
            SandboxNetwork network,
            Optional<MovedVpcAddresses> vpc,
            Path namespace,
            SandboxNetwork.Cut cut,
            List<PodNetwork.Address> addresses) {
        List<String> failed = new ArrayList<>();
        try {
            network.reconnect(cut);
        } catch (RuntimeException e) {
            failed.add("reconnecting its veth " + cut.hostEnd() + ": " + e.getMessage());
        }
        // only once the link is up: a route through a down link is refused
        // the VPC CNI moves the pod's own address only (the first)
        vpc.ifPresent(moved -> {
            try {
                moved.routeToPod(addresses.get(0).ip());
            } catch (RuntimeException e) {
                failed.add("the host route to " + addresses.get(0).ip() + ": " + e.getMessage());
            }
        });
        for (PodNetwork.Address address : addresses) {
            try {
                network.announce(namespace, address);
            } catch (RuntimeException e) {
                failed.add("the gratuitous ARP for " + address.ip() + ": " + e.getMessage());
            }
        }
        if (failed.isEmpty()) {
            return "";
        }
        String warning = "pod migration " + migrationId + " committed, but its pod may be unreachable: "
                + String.join("; ", failed);
        log.warn(warning);
        return warning;
    }
}
