package dev.kompact.agent.net;

import dev.kompact.agent.runtime.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network of a Kubernetes pod sandbox, reached through the namespace path its containers' OCI specs name
 * (containerd: /proc/PAUSE_PID/ns/net); the CNI set it up, this agent only moves an address across. The source pod's
 * address moves to the target pod as a second address (/32: the target's own subnet route already covers the
 * segment), announced with a gratuitous ARP so that the bridge and the peers send to the target from then on.
 */
public final class SandboxNetwork {
    private static final Logger log = LoggerFactory.getLogger(SandboxNetwork.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PEER = Pattern.compile("@if(\\d+):");
    private static final Pattern INET = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\S+)");

    private final List<String> node;

    /** On the node whose network namespace this process is in. */
    public SandboxNetwork() {
        this.node = List.of();
    }

    /** On a node emulated in a network namespace of its own. */
    public SandboxNetwork(Path nodeNamespace) {
        this.node = List.of("nsenter", "--net=" + nodeNamespace, "--");
    }

    /**
     * The sandbox's global IPv4 addresses in the order they were added: first the one the CNI gave it, then any that
     * earlier moves brought (as /32, {@link #addAddress}).
     */
    public List<PodNetwork.Address> addressesOf(Path namespace) {
        String out = ip(namespace, "-4", "-o", "addr", "show", "scope", "global");
        List<PodNetwork.Address> addresses = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = INET.matcher(line);
            if (m.find()) {
                addresses.add(new PodNetwork.Address(m.group(1), m.group(2)));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalStateException(
                    "pod network namespace " + namespace + " has no global IPv4 address to move");
        }
        return addresses;
    }

    public void linkDown(Path namespace, String interfaceName) {
        ip(namespace, "link", "set", interfaceName, "down");
    }

    public void linkUp(Path namespace, String interfaceName) {
        ip(namespace, "link", "set", interfaceName, "up");
    }

    /**
     * The node's end of a pod's veth that {@link #disconnect} took down, and the node's IPv4 routes through it then
     * (as {@code ip route show} prints them without the device), which the kernel deleted with the link.
     */
    public record Cut(String hostEnd, List<String> routes) {
        public Cut {
            routes = List.copyOf(routes);
        }
    }

    /**
     * Cuts the sandbox off the segment at the node's end of its veth, leaving the pod's own interface up: its routes
     * stay, so CRIU can restore connected TCP sockets (with the pod's interface down their route is gone and the
     * restore fails), while nothing they send leaves the pod. The node's routes through that end go with the link
     * (the AWS VPC CNI's host route to the pod's own address, for one), so they are kept for {@link #reconnect}.
     */
    public Cut disconnect(Path namespace, String interfaceName) {
        String hostEnd = hostEnd(namespace, interfaceName);
        // the local table's entries are the kernel's own, made again when the link comes up
        List<String> routes = onNode("ip", "-4", "route", "show", "table", "all", "dev", hostEnd)
                .lines()
                .filter(line -> !line.isBlank() && !line.contains("table local"))
                .toList();
        onNode("ip", "link", "set", "dev", hostEnd, "down");
        return new Cut(hostEnd, routes);
    }

    /** Undoes {@link #disconnect}: the link up, and its routes back. */
    public void reconnect(Cut cut) {
        onNode("ip", "link", "set", "dev", cut.hostEnd(), "up");
        for (String route : cut.routes()) {
            List<String> command = new ArrayList<>(List.of("ip", "-4", "route", "replace"));
            command.addAll(List.of(route.trim().split("\\s+")));
            command.addAll(List.of("dev", cut.hostEnd()));
            onNode(command.toArray(String[]::new));
        }
    }

    /** The node's end of the pod's veth: eth0@ifN inside names its peer's index N in the node's namespace. */
    public String hostEnd(Path namespace, String interfaceName) {
        Matcher peer = PEER.matcher(ip(namespace, "-o", "link", "show", "dev", interfaceName));
        if (!peer.find()) {
            throw new IllegalStateException(interfaceName + " in " + namespace + " is not a veth: no node end to cut");
        }
        String links = onNode("ip", "-o", "link", "show");
        for (String line : links.lines().toList()) {
            if (line.startsWith(peer.group(1) + ": ")) {
                String name = line.split(":\\s+")[1];
                return name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            }
        }
        throw new IllegalStateException("the node end (index " + peer.group(1) + ") of " + interfaceName + " in "
                + namespace + " is not in this node's namespace");
    }

    /** Adds {@code address}'s IP as a /32; does nothing when the namespace already has it (a retried restore). */
    public void addAddress(Path namespace, PodNetwork.Address address) {
        Commands.Result result = Commands.run(
                TIMEOUT, nsenter(namespace, "ip", "addr", "add", address.ip() + "/32", "dev", address.interfaceName()));
        if (result.exitCode() != 0 && !result.output().contains("File exists")) {
            throw new IllegalStateException("cannot add " + address.ip() + " to " + namespace + ": " + result.output());
        }
    }

    /** Removes the /32 {@link #addAddress} added; does nothing when it is not there (or the namespace is gone). */
    public void removeAddress(Path namespace, PodNetwork.Address address) {
        Commands.run(
                TIMEOUT, nsenter(namespace, "ip", "addr", "del", address.ip() + "/32", "dev", address.interfaceName()));
    }

    /** As {@link PodNetwork#announce}: in the background, a failure only logged. */
    public void announce(Path namespace, PodNetwork.Address address) {
        CompletableFuture.runAsync(() -> {
            Commands.Result result = Commands.run(
                    TIMEOUT,
                    nsenter(
                            namespace,
                            "arping",
                            "-U",
                            "-c",
                            "1",
                            "-w",
                            "1",
                            "-I",
                            address.interfaceName(),
                            address.ip()));
            if (result.exitCode() > 1) {
                log.warn("gratuitous ARP for {} from {} failed: {}", address.ip(), namespace, result.output());
            }
        });
    }

    private String onNode(String... command) {
        List<String> all = new ArrayList<>(node);
        all.addAll(List.of(command));
        return Commands.check(TIMEOUT, all.toArray(String[]::new));
    }

    private static String ip(Path namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return Commands.check(
                TIMEOUT, nsenter(namespace, command.toArray(String[]::new)).toArray(String[]::new));
    }

    /** nsenter, not "ip -n": the sandbox's namespace is not one that "ip netns" named. */
    private static List<String> nsenter(Path namespace, String... command) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + namespace, "--"));
        all.addAll(List.of(command));
        return all;
    }
}
