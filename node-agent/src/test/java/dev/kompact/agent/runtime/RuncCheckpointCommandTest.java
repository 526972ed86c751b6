package dev.kompact.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuncCheckpointCommandTest {
    private static final Path ROOT = Path.of("/run/kompact/runc");

    @Test
    void firstPreDumpKeepsTheContainerRunningAndHasNoParent() {
        assertThat(RuncRuntime.checkpointCommand(
                        ROOT, "web", Path.of("/w/pre-1"), Path.of("/w/work-pre-1"), Optional.empty(), true))
                .containsExactly(
                        "runc",
                        "--root",
                        "/run/kompact/runc",
                        "checkpoint",
                        "--pre-dump",
                        "--image-path",
                        "/w/pre-1",
                        "--work-path",
                        "/w/work-pre-1",
                        "web");
    }

    @Test
    void laterPreDumpNamesThePreviousRoundAsItsParent() {
        assertThat(RuncRuntime.checkpointCommand(
                        ROOT,
                        "web",
                        Path.of("/w/pre-2"),
                        Path.of("/w/work-pre-2"),
                        Optional.of(Path.of("../pre-1")),
                        true))
                .containsExactly(
                        "runc",
                        "--root",
                        "/run/kompact/runc",
                        "checkpoint",
                        "--pre-dump",
                        "--image-path",
                        "/w/pre-2",
                        "--work-path",
                        "/w/work-pre-2",
                        "--parent-path",
                        "../pre-1",
                        "web");
    }

    @Test
    void finalDumpAfterPreCopyKeepsConnectionsAndNamesTheLastRound() {
        assertThat(RuncRuntime.checkpointCommand(
                        ROOT,
                        "web",
                        Path.of("/w/checkpoint"),
                        Path.of("/w/work"),
                        Optional.of(Path.of("../pre-3")),
                        false))
                .containsExactly(
                        "runc",
                        "--root",
                        "/run/kompact/runc",
                        "checkpoint",
                        "--tcp-established",
                        "--image-path",
                        "/w/checkpoint",
                        "--work-path",
                        "/w/work",
                        "--parent-path",
                        "../pre-3",
                        "web");
    }

    @Test
    void stopAndCopyDumpHasNoParent() {
        assertThat(RuncRuntime.checkpointCommand(
                        ROOT, "web", Path.of("/w/checkpoint"), Path.of("/w/work"), Optional.empty(), false))
                .doesNotContain("--parent-path", "--pre-dump")
                .contains("--tcp-established");
    }
}
