package dev.kompact.agent;

import dev.kompact.agent.tls.TlsFiles;
import java.nio.file.Path;

/**
 * One agent's settings; {@link AgentOptions} describes each flag.
 *
 * @param namePrefix what this agent's pod namespaces and cgroups are named after, so that agents sharing a host
 *     (emulated nodes, two test runs) never touch each other's
 * @param transferBytesPerSecond zero: unlimited
 * @param podNetwork as the controller's --pod-network: with VPC_CNI, a pod address moved here through EC2 is routed
 *     by this node's ENI that holds it
 */
public record AgentConfig(
        String nodeName,
        String listenHost,
        int port,
        Path stateDir,
        Path runcRoot,
        String podBridge,
        String namePrefix,
        TlsFiles tls,
        long maxImageBytes,
        long maxImageEntries,
        long transferBytesPerSecond,
        Path libcriu,
        Path criuBinary,
        PodNetworkType podNetwork) {

    public enum PodNetworkType {
        BRIDGE,
        VPC_CNI
    }

    public static final long DEFAULT_MAX_IMAGE_BYTES = 8L << 30;
    /** A container image's rootfs has tens of thousands of entries; a million inodes per migration is a bound. */
    public static final long DEFAULT_MAX_IMAGE_ENTRIES = 1_000_000;

    public static final String DEFAULT_NAME_PREFIX = "kompact";
    private static final java.util.regex.Pattern NAME_PREFIX = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,15}");

    public AgentConfig {
        if (!NAME_PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("--name-prefix must be 1-16 characters of [a-z0-9-] starting with a"
                    + " letter (it becomes part of namespace and cgroup names), got '" + namePrefix + "'");
        }
        // a negative bound would refuse every image, a negative rate would silently mean unlimited
        if (maxImageBytes < 0) {
            throw new IllegalArgumentException("--max-image-bytes must not be negative, got " + maxImageBytes);
        }
        if (maxImageEntries < 1) {
            throw new IllegalArgumentException("--max-image-entries must be positive, got " + maxImageEntries);
        }
        if (transferBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "--transfer-bytes-per-second must not be negative (0: unlimited), got " + transferBytesPerSecond);
        }
    }

    public static final Path DEFAULT_LIBCRIU = Path.of("/usr/local/lib/libcriu.so.2");
    public static final Path DEFAULT_CRIU = Path.of("/usr/local/sbin/criu");
}
