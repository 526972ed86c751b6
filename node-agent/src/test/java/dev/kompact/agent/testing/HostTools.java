package dev.kompact.agent.testing;

import dev.kompact.agent.runtime.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What is missing for tests that need the host prepared by node-agent/scripts/install-test-deps.sh. */
public final class HostTools {
    private static final String FIX = " (run node-agent/scripts/install-test-deps.sh as root)";

    private HostTools() {}

    /** Empty when live migration can run here, else why not and how to fix it: the reason a test is skipped with. */
    public static Optional<String> liveMigrationMissing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("live migration tests need root" + FIX);
        }
        if (!Files.isExecutable(Path.of("/usr/local/sbin/criu"))) {
            return Optional.of("CRIU >= 4.2 is not installed in /usr/local/sbin" + FIX);
        }
        for (String tool : new String[] {"runc", "arping", "ip", "openssl"}) {
            if (!onPath(tool)) {
                return Optional.of(tool + " is not installed" + FIX);
            }
        }
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            return Optional.of("busybox-static is not installed" + FIX);
        }
        if (readLong(Path.of("/proc/sys/fs/pipe-max-size")) < 4 << 20) {
            return Optional.of("fs.pipe-max-size is below 4 MiB: CRIU lazy pages fail" + FIX);
        }
        if (!lines(Path.of("/etc/criu/runc.conf")).contains("network-lock nftables")) {
            return Optional.of("/etc/criu/runc.conf does not select the nftables network lock" + FIX);
        }
        return Optional.empty();
    }

    /** As {@link #liveMigrationMissing}, and containerd with the CNI plugins for pods run through CRI. */
    public static Optional<String> containerdMissing() {
        Optional<String> missing = liveMigrationMissing();
        if (missing.isPresent()) {
            return missing;
        }
        for (String tool : new String[] {"containerd", "ctr", "containerd-shim-runc-v2", "nsenter"}) {
            if (!onPath(tool)) {
                return Optional.of(tool + " is not installed" + FIX);
            }
        }
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
            return Optional.of("the CNI plugins (containernetworking-plugins) are not installed" + FIX);
        }
        return Optional.empty();
    }

    public static Optional<String> opensslMissing() {
        return onPath("openssl") ? Optional.empty() : Optional.of("openssl is not installed" + FIX);
    }

    private static boolean onPath(String tool) {
        return Commands.run(Duration.ofSeconds(10), "sh", "-c", "command -v " + tool)
                        .exitCode()
                == 0;
    }

    private static long readLong(Path file) {
        try {
            return Long.parseLong(lines(file).get(0).strip());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Files.readString sees /proc files as empty (their size is 0): read them line by line. */
    private static java.util.List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return java.util.List.of();
        }
    }
}
