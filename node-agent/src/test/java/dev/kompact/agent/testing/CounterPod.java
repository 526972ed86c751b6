package dev.kompact.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A "pod" as the kubelet and CNI of an emulated node would start it: a busybox runc container in its own network
 * namespace, with an address on the cluster bridge, serving one TCP connection and answering each line with a
 * counter it keeps in memory.
 */
public final class CounterPod {
    public static final int PORT = 8080;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String COUNTER = "#!/bin/sh\nn=0\nwhile read -r line; do n=$((n+1)); echo \"$n $line\"; done\n";

    private final String id;
    private final String ip;

    private CounterPod(String id, String ip) {
        this.id = id;
        this.ip = ip;
    }

    /** Starts the pod on {@code node}: its namespace via {@link PodNetwork} (standing in for CNI), then runc run. */
    public static CounterPod start(
            Path workDir,
            String node,
            String bridge,
            String id,
            String ipCidr,
            List<String> command,
            List<Path> extraBinaries)
            throws Exception {
        Path bundle = workDir.resolve("bundles").resolve(id);
        Path rootfs =
                Files.createDirectories(bundle.resolve("rootfs").resolve("bin")).getParent();
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        // relative links: the rootfs stays self-contained wherever the bundle is copied
        for (String applet :
                Commands.check(TIMEOUT, "/bin/busybox", "--list").lines().toList()) {
            Path link = rootfs.resolve("bin").resolve(applet);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        for (Path binary : extraBinaries) {
            Files.copy(
                    binary, rootfs.resolve("bin").resolve(binary.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path counter = rootfs.resolve("bin/counter");
        Files.writeString(counter, COUNTER);
        Files.setPosixFilePermissions(counter, PosixFilePermissions.fromString("rwxr-xr-x"));

        PodNetwork network = new PodNetwork(node, bridge, TestRun.PREFIX);
        PodNetwork.Address address = new PodNetwork.Address("eth0", ipCidr);
        Path namespace = network.create(id, address);
        network.linkUp(namespace, address);

        Commands.check(TIMEOUT, "runc", "spec", "--bundle", bundle.toString());
        ObjectMapper json = new ObjectMapper();
        ObjectNode config =
                (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        ArrayNode args = process.putArray("args");
        args.add("/bin/sh").add("-c").add("exec </dev/null >/dev/null 2>&1; exec " + String.join(" ", command));
        ((ObjectNode) config.get("root")).put("readonly", false);
        ObjectNode linux = (ObjectNode) config.get("linux");
        linux.put("cgroupsPath", network.cgroupFor(id));
        for (var ns : linux.get("namespaces")) {
            if ("network".equals(ns.get("type").asText())) {
                ((ObjectNode) ns).put("path", namespace.toString());
            }
        }
        json.writerWithDefaultPrettyPrinter()
                .writeValue(bundle.resolve("config.json").toFile(), config);
        Commands.check(
                TIMEOUT,
                "runc",
                "--root",
                AgentProcess.runcRoot(workDir, node).toString(),
                "run",
                "-d",
                "--bundle",
                bundle.toString(),
                id);
        return new CounterPod(id, ipCidr.substring(0, ipCidr.indexOf('/')));
    }

    /** The counter server: one connection, the counter in the shell's memory. */
    public static List<String> counterServer() {
        return List.of("nc", "-l", "-p", String.valueOf(PORT), "-e", "/bin/counter");
    }

    public String id() {
        return id;
    }

    public String ip() {
        return ip;
    }
}
