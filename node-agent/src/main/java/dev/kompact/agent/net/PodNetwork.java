package dev.kompact.agent.net;

import dev.kompact.agent.runtime.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod network namespaces of this node: each has one veth whose host end is plugged into the node's bridge, so the
 * pod's address is reachable on the L2 segment wherever the pod runs. The address moves by bringing the source's
 * link down, the target's up, and announcing the new location with a gratuitous ARP.
 */
public final class PodNetwork {
    private static final Logger log = LoggerFactory.getLogger(PodNetwork.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Pattern INET = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\S+)");

    private final String nodeName;
    private final String bridge;
    private final String prefix;

    /** @param prefix what this agent's namespaces are named after (AgentConfig's namePrefix) */
    public PodNetwork(String nodeName, String bridge, String prefix) {
        this.nodeName = nodeName;
        this.bridge = bridge;
        this.prefix = prefix;
    }

    public record Address(String interfaceName, String cidr) {
        public String ip() {
            return cidr.substring(0, cidr.indexOf('/'));
        }
    }

    /** The pod's global IPv4 address, read from inside its namespace. */
    public Address addressOf(Path namespace) {
        String name = nameOf(namespace);
        String out = Commands.check(TIMEOUT, "ip", "-n", name, "-4", "-o", "addr", "show", "scope", "global");
        for (String line : out.lines().toList()) {
            Matcher m = INET.matcher(line);
            if (m.find()) {
                return new Address(m.group(1), m.group(2));
            }
        }
        throw new IllegalStateException("network namespace " + name + " has no global IPv4 address to move");
    }

    /** The namespace a pod gets on this node, named after node and container so that nodes sharing a host differ. */
    public Path namespaceFor(String containerId) {
        return NETNS_DIR.resolve(prefix + "-" + nodeName + "-" + containerId);
    }

    /** The cgroup a pod's container gets on this node: source and target copies coexist while pages move. */
    public String cgroupFor(String containerId) {
        return "/" + prefix + "/" + nodeName + "/" + containerId;
    }

    /** Creates the namespace with the pod's address on a link that stays down until {@link #linkUp}. */
    public Path create(String containerId, Address address) {
        Path namespace = namespaceFor(containerId);
        String name = nameOf(namespace);
        String hostEnd = hostEndName(containerId);
        if (Files.exists(namespace)) {
            throw new IllegalStateException("network namespace " + name + " already exists on node " + nodeName
                    + ": another migration of " + containerId
                    + " is in progress, or a previous one left it (ip netns del "
                    + name + ")");
        }
        Commands.check(TIMEOUT, "ip", "netns", "add", name);
        try {
            Commands.check(
                    TIMEOUT,
                    "ip",
                    "link",
                    "add",
                    hostEnd,
                    "type",
                    "veth",
                    "peer",
                    "name",
                    address.interfaceName(),
                    "netns",
                    name);
            Commands.check(TIMEOUT, "ip", "link", "set", hostEnd, "master", bridge, "up");
            Commands.check(TIMEOUT, "ip", "-n", name, "link", "set", "lo", "up");
            Commands.check(TIMEOUT, "ip", "-n", name, "addr", "add", address.cidr(), "dev", address.interfaceName());
        } catch (RuntimeException e) {
            delete(namespace);
            throw e;
        }
        return namespace;
    }

    public void linkUp(Path namespace, Address address) {
        Commands.check(TIMEOUT, "ip", "-n", nameOf(namespace), "link", "set", address.interfaceName(), "up");
    }

    public void linkDown(Path namespace, Address address) {
        Commands.check(TIMEOUT, "ip", "-n", nameOf(namespace), "link", "set", address.interfaceName(), "down");
    }

    /**
     * Tells the segment where the address lives now, in the background: arping sends at once but lingers for its
     * deadline, which must not add to the migration. Failure is logged, not thrown: the pod runs, and peers find it
     * again when their neighbour entry expires.
     */
    public void announce(Path namespace, Address address) {
        String name = nameOf(namespace);
        CompletableFuture.runAsync(() -> {
            Commands.Result result = Commands.run(
                    TIMEOUT,
                    "ip",
                    "netns",
                    "exec",
                    name,
                    "arping",
                    "-U",
                    "-c",
                    "1",
                    "-w",
                    "1",
                    "-I",
                    address.interfaceName(),
                    address.ip());
            if (result.exitCode() > 1) {
                log.warn(
                        "gratuitous ARP for {} from {} failed (exit {}): {}",
                        address.ip(),
                        name,
                        result.exitCode(),
                        result.output());
            }
        });
    }

    /** Deletes the namespace and with it the veth pair; does nothing when it is already gone. */
    public void delete(Path namespace) {
        if (Files.exists(namespace)) {
            Commands.check(TIMEOUT, "ip", "netns", "del", nameOf(namespace));
        }
    }

    private static String nameOf(Path namespace) {
        if (!namespace.getParent().equals(NETNS_DIR)) {
            throw new IllegalArgumentException("pod network namespace " + namespace + " is not under " + NETNS_DIR
                    + ": only namespaces created with 'ip netns add' can be moved");
        }
        return namespace.getFileName().toString();
    }

    /** Interface names are limited to 15 bytes: a hash keeps them short and distinct per node and container. */
    private String hostEndName(String containerId) {
        int hash = (prefix + "/" + nodeName + "/" + containerId).hashCode();
        return "kv" + HexFormat.of().toHexDigits(hash);
    }
}
