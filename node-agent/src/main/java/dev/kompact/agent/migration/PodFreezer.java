package dev.kompact.agent.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Freezes every container of a pod in one step: the freezer of each container's cgroup is written in a row (no runc
 * process per container, so microseconds apart), and only then awaited. A freezer on the pod's parent cgroup would
 * be one write, but CRIU cannot seize tasks frozen by a parent ("Unseizable non-zombie ... state D", measured with
 * runc 1.1.5 and CRIU 4.2.1): each container's own freezer it handles as a paused container. runc then reports the
 * containers paused, so {@code runc resume} also thaws them.
 */
final class PodFreezer {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final long FREEZE_TIMEOUT_MILLIS = 10_000;

    private final List<Path> freezers;
    private final boolean unified;

    /** @param cgroupsPaths each container's linux.cgroupsPath, absolute within the hierarchy */
    PodFreezer(List<String> cgroupsPaths) {
        this.unified = Files.exists(CGROUPS.resolve("cgroup.controllers"));
        this.freezers = cgroupsPaths.stream()
                .map(p -> unified
                        ? CGROUPS.resolve(p.substring(1)).resolve("cgroup.freeze")
                        : CGROUPS.resolve("freezer").resolve(p.substring(1)).resolve("freezer.state"))
                .toList();
    }

    /** Returns once every container is frozen; thaws them all again when that fails. */
    void freeze() {
        try {
            for (Path freezer : freezers) {
                Files.writeString(freezer, unified ? "1" : "FROZEN");
            }
            long deadline = System.currentTimeMillis() + FREEZE_TIMEOUT_MILLIS;
            for (Path freezer : freezers) {
                while (!frozen(freezer)) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException(freezer + " did not freeze within " + FREEZE_TIMEOUT_MILLIS
                                + " ms (a task stuck in the kernel)");
                    }
                    Thread.onSpinWait();
                }
            }
        } catch (IOException | RuntimeException e) {
            thaw();
            throw new IllegalStateException("cannot freeze the pod's containers: " + e.getMessage(), e);
        }
    }

    void thaw() {
        for (Path freezer : freezers) {
            try {
                Files.writeString(freezer, unified ? "0" : "THAWED");
            } catch (IOException e) {
                // the container is gone: nothing left to thaw
            }
        }
    }

    private boolean frozen(Path freezer) throws IOException {
        if (unified) {
            return Files.readAllLines(freezer.resolveSibling("cgroup.events")).contains("frozen 1");
        }
        return Files.readAllLines(freezer).contains("FROZEN");
    }
}
