package dev.kompact.agent;

import dev.kompact.agent.tls.TlsFiles;
import java.nio.file.Path;

/**
 * One agent's settings; {@link AgentOptions} describes each flag.
 *
 * @param transferBytesPerSecond zero: unlimited
 */
public record AgentConfig(
        String nodeName,
        String listenHost,
        int port,
        Path stateDir,
        Path runcRoot,
        String podBridge,
        TlsFiles tls,
        long maxImageBytes,
        long transferBytesPerSecond,
        Path libcriu,
        Path criuBinary) {

    public static final long DEFAULT_MAX_IMAGE_BYTES = 8L << 30;

    public AgentConfig {
        // a negative bound would refuse every image, a negative rate would silently mean unlimited
        if (maxImageBytes < 0) {
            throw new IllegalArgumentException("--max-image-bytes must not be negative, got " + maxImageBytes);
        }
        if (transferBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "--transfer-bytes-per-second must not be negative (0: unlimited), got " + transferBytesPerSecond);
        }
    }

    public static final Path DEFAULT_LIBCRIU = Path.of("/usr/local/lib/libcriu.so.2");
    public static final Path DEFAULT_CRIU = Path.of("/usr/local/sbin/criu");
}
