package dev.kompact.agent.migration;

import dev.kompact.agent.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Stop-and-copy, and pre-copy's final dump: the whole container, memory included, is in the image (with pre-copy,
 * partly in its parent pre-dumps); runc has removed it here.
 */
final class FullCheckpoint implements SourceCheckpoint {
    private final String containerId;
    private final Path bundle;
    private final Path image;
    private final Path workDir;
    private final ContainerRuntime runtime;

    private FullCheckpoint(String containerId, Path bundle, Path image, Path workDir, ContainerRuntime runtime) {
        this.containerId = containerId;
        this.bundle = bundle;
        this.image = image;
        this.workDir = workDir;
        this.runtime = runtime;
    }

    /** @param parent the last pre-dump, relative to {@code image}, whose chain stays in place for a rollback */
    static FullCheckpoint take(
            String containerId,
            Path bundle,
            Path image,
            Path workDir,
            ContainerRuntime runtime,
            Optional<Path> parent) {
        runtime.checkpoint(containerId, image, workDir.resolve("work"), parent);
        return new FullCheckpoint(containerId, bundle, image, workDir, runtime);
    }

    @Override
    public String pageServerAddress() {
        return "";
    }

    @Override
    public boolean targetStarted() {
        return false;
    }

    @Override
    public void targetRuns() {}

    @Override
    public void resumeHere() {
        runtime.restore(containerId, bundle, image, workDir.resolve("rollback"));
    }

    @Override
    public void discard() {}
}
