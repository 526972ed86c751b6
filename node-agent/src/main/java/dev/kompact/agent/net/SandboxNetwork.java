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
    private static final Pattern INET = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\S+)");

    /** The sandbox's first global IPv4 address: the one the CNI gave it. */
    public PodNetwork.Address addressOf(Path namespace) {
        String out = ip(namespace, "-4", "-o", "addr", "show", "scope", "global");
        for (String line : out.lines().toList()) {
            Matcher m = INET.matcher(line);
            if (m.find()) {
                return new PodNetwork.Address(m.group(1), m.group(2));
            }
        }
        throw new IllegalStateException("pod network namespace " + namespace + " has no global IPv4 address to move");
    }

    public void linkDown(Path namespace, String interfaceName) {
        ip(namespace, "link", "set", interfaceName, "down");
    }

    public void linkUp(Path namespace, String interfaceName) {
        ip(namespace, "link", "set", interfaceName, "up");
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
