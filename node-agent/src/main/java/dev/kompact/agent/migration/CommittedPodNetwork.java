package dev.kompact.agent.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod restored here made reachable once its migration committed: its veth back up with its routes, the moved
 * address's host route (the VPC CNI), the gratuitous ARP. None of it may fail the migration: the pod runs here and its
 * source must never resume, so each failure is logged and becomes a warning in RestorePod's answer instead. What it
 * needs is written down before the commit marker ({@link #persist}), so that an agent restarted between the marker
 * and the connection still connects the pod ({@link #connectAfterCrash}): the pod is committed, and cut off it would
 * stay so for good.
 */
final class CommittedPodNetwork {
    private static final Logger log = LoggerFactory.getLogger(CommittedPodNetwork.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "network.json";

    /** What {@link #connect} takes, as {@link #persist} writes it. */
    private record Pending(String namespace, SandboxNetwork.Cut cut, List<PodNetwork.Address> addresses, boolean vpc) {}

    private CommittedPodNetwork() {}

    /** Into the migration's directory, whole or not at all, before its commit marker. */
    static void persist(
            Path dir, Path namespace, SandboxNetwork.Cut cut, List<PodNetwork.Address> addresses, boolean vpc) {
        Path temp = dir.resolve(FILE + ".tmp");
        try {
            JSON.writeValue(temp.toFile(), new Pending(namespace.toString(), cut, addresses, vpc));
            Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record how to connect the restored pod: " + e, e);
        }
    }

    /**
     * At agent start, for a committed migration whose directory is still there (it goes once {@link #connect} ran):
     * connects the pod again. Connecting twice does no harm: the link is set up, the routes replaced, the ARP sent.
     */
    static void connectAfterCrash(
            String migrationId, Path dir, SandboxNetwork network, Optional<MovedVpcAddresses> vpc) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        Pending pending;
        try {
            pending = JSON.readValue(file.toFile(), Pending.class);
        } catch (IOException e) {
            log.warn(
                    "pod migration {} committed, but how to connect its pod cannot be read: {}",
                    migrationId,
                    e.toString());
            return;
        }
        String warning = connect(
                migrationId,
                network,
                pending.vpc() ? vpc : Optional.empty(),
                Path.of(pending.namespace()),
                pending.cut(),
                pending.addresses());
        if (warning.isEmpty()) {
            log.info("pod migration {} committed before this agent restarted: its pod is connected now", migrationId);
        }
    }

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
