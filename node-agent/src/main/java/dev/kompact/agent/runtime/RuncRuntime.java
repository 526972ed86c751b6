package dev.kompact.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/** runc with a root directory of its own, so that several emulated nodes can share one host. */
public final class RuncRuntime implements ContainerRuntime {
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    // runc has CRIU write these into its --work-path; lazy-pages is named by this class's own --log-file
    private static final String DUMP_LOG = "dump.log";
    private static final String RESTORE_LOG = "restore.log";
    private static final String LAZY_PAGES_LOG = "lazy-pages.log";

    private final Path root;

    public RuncRuntime(Path root) {
        this.root = root;
    }

    @Override
    public String description() {
        try {
            Commands.Result version = Commands.run(STATE_TIMEOUT, "runc", "--version");
            return version.exitCode() == 0
                    ? version.output().lines().findFirst().orElse("runc")
                    : "runc (not working)";
        } catch (CommandException e) {
            return "runc (not installed)";
        }
    }

    @Override
    public Optional<ContainerInfo> find(String containerId) {
        Commands.Result state = Commands.run(STATE_TIMEOUT, "runc", "--root", root.toString(), "state", containerId);
        if (state.exitCode() != 0) {
            if (state.output().contains("does not exist")) {
                return Optional.empty();
            }
            throw new CommandException("runc --root " + root + " state " + containerId + " failed: " + state.output());
        }
        try {
            JsonNode json = JSON.readTree(state.output());
            return Optional.of(new ContainerInfo(
                    containerId,
                    json.path("status").asText(),
                    Path.of(json.path("bundle").asText())));
        } catch (IOException e) {
            throw new UncheckedIOException("runc state " + containerId + " printed no JSON: " + state.output(), e);
        }
    }

    @Override
    public void checkpoint(String containerId, Path imageDir, Path workDir, Optional<Path> parent) {
        dump(
                "runc checkpoint",
                checkpointCommand(root, containerId, imageDir, workDir, parent, false),
                imageDir,
                workDir);
    }

    @Override
    public void checkpointPaused(String containerId, Path imageDir, Path workDir) {
        List<String> command = checkpointCommand(root, containerId, imageDir, workDir, Optional.empty(), false);
        command.add(command.size() - 1, "--leave-running");
        dump("runc checkpoint --leave-running", command, imageDir, workDir);
    }

    @Override
    public void kill(String containerId) {
        Commands.Result result =
                Commands.run(STATE_TIMEOUT, "runc", "--root", root.toString(), "kill", "--all", containerId, "KILL");
        if (result.exitCode() != 0
                && !result.output().contains("does not exist")
                && !result.output().contains("not running")) {
            throw new CommandException("runc kill " + containerId + " failed: " + result.output());
        }
    }

    @Override
    public void preDump(String containerId, Path imageDir, Path workDir, Optional<Path> parent) {
        dump(
                "runc checkpoint --pre-dump",
                checkpointCommand(root, containerId, imageDir, workDir, parent, true),
                imageDir,
                workDir);
    }

    private static void dump(String what, List<String> command, Path imageDir, Path workDir) {
        createDirectories(imageDir, workDir);
        Commands.Result result = Commands.run(CHECKPOINT_TIMEOUT, command);
        if (result.exitCode() != 0) {
            throw new CommandException(what + " of " + command.get(command.size() - 1) + " failed: " + result.output()
                    + criuLogTail(workDir.resolve(DUMP_LOG)));
        }
    }

    /** A pre-dump stays running and writes memory only; the final dump also locks and stops the container. */
    static List<String> checkpointCommand(
            Path root, String containerId, Path imageDir, Path workDir, Optional<Path> parent, boolean preDump) {
        List<String> command = new ArrayList<>(List.of("runc", "--root", root.toString(), "checkpoint"));
        if (preDump) {
            command.add("--pre-dump");
        } else {
            command.add("--tcp-established");
        }
        command.addAll(List.of("--image-path", imageDir.toString(), "--work-path", workDir.toString()));
        parent.ifPresent(p -> command.addAll(List.of("--parent-path", p.toString())));
        command.add(containerId);
        return command;
    }

    @Override
    public void restore(String containerId, Path bundle, Path imageDir, Path workDir) {
        createDirectories(workDir);
        runcRestore(containerId, bundle, imageDir, workDir, false);
    }

    /** Detached, with the established TCP connections; lazy: the memory comes from the lazy-pages daemon. */
    private void runcRestore(String containerId, Path bundle, Path imageDir, Path workDir, boolean lazy) {
        List<String> command =
                new ArrayList<>(List.of("runc", "--root", root.toString(), "restore", "-d", "--tcp-established"));
        if (lazy) {
            command.add("--lazy-pages");
        }
        command.addAll(List.of(
                "--image-path",
                imageDir.toString(),
                "--work-path",
                workDir.toString(),
                "--bundle",
                bundle.toString(),
                containerId));
        Commands.Result result = Commands.run(CHECKPOINT_TIMEOUT, command);
        if (result.exitCode() != 0) {
            throw new CommandException((lazy ? "runc restore --lazy-pages" : "runc restore") + " of " + containerId
                    + " failed: " + result.output() + criuLogTail(workDir.resolve(RESTORE_LOG)));
        }
    }

    @Override
    public ReadyProcess checkpointLazy(String containerId, Path imageDir, Path workDir, int pagePort) {
        createDirectories(imageDir, workDir);
        try {
            // the page server serves the frozen container's memory to its first client: in a network namespace of
            // its own (loopback only), only this agent, joining it, can be that client
            return ReadyProcess.start(
                    "lazy-dump",
                    List.of(
                            "unshare",
                            "--net",
                            "--",
                            "sh",
                            "-c",
                            "ip link set lo up && exec \"$@\"",
                            "sh",
                            "runc",
                            "--root",
                            root.toString(),
                            "checkpoint",
                            "--tcp-established",
                            "--lazy-pages",
                            "--page-server",
                            "127.0.0.1:" + pagePort,
                            "--status-fd",
                            "3",
                            "--image-path",
                            imageDir.toString(),
                            "--work-path",
                            workDir.toString(),
                            containerId),
                    workDir,
                    READY_TIMEOUT);
        } catch (CommandException e) {
            throw new CommandException(
                    "runc checkpoint --lazy-pages of " + containerId + " failed: " + e.getMessage()
                            + criuLogTail(workDir.resolve(DUMP_LOG)),
                    e);
        }
    }

    @Override
    public void pause(String containerId) {
        Commands.check(STATE_TIMEOUT, "runc", "--root", root.toString(), "pause", containerId);
    }

    @Override
    public void resume(String containerId) {
        Commands.Result result = Commands.run(STATE_TIMEOUT, "runc", "--root", root.toString(), "resume", containerId);
        if (result.exitCode() != 0 && !result.output().contains("not paused")) {
            throw new CommandException("runc resume " + containerId + " failed: " + result.output());
        }
    }

    @Override
    public ReadyProcess restoreLazy(
            String containerId,
            Path bundle,
            Path imageDir,
            Path workDir,
            InetSocketAddress pages,
            LongConsumer daemonStarted) {
        createDirectories(workDir);
        // -W: the daemon's socket must be where runc's restore (same work path) looks for it
        ReadyProcess daemon = ReadyProcess.start(
                "lazy-pages",
                List.of(
                        "criu",
                        "lazy-pages",
                        "--page-server",
                        "--address",
                        pages.getHostString(),
                        "--port",
                        String.valueOf(pages.getPort()),
                        "--images-dir",
                        imageDir.toString(),
                        "-W",
                        workDir.toString(),
                        "--log-file",
                        LAZY_PAGES_LOG,
                        "-v4",
                        "--status-fd",
                        "3"),
                workDir,
                READY_TIMEOUT);
        daemonStarted.accept(daemon.pid());
        try {
            runcRestore(containerId, bundle, imageDir, workDir, true);
        } catch (CommandException e) {
            daemon.destroy();
            delete(containerId);
            throw e;
        }
        return daemon;
    }

    @Override
    public List<Long> processes(String containerId) {
        String out =
                Commands.check(STATE_TIMEOUT, "runc", "--root", root.toString(), "ps", "--format", "json", containerId);
        try {
            List<Long> pids = new ArrayList<>();
            for (JsonNode pid : JSON.readTree(out)) {
                pids.add(pid.asLong());
            }
            return pids;
        } catch (IOException e) {
            throw new UncheckedIOException("runc ps " + containerId + " printed no JSON: " + out, e);
        }
    }

    @Override
    public void delete(String containerId) {
        Commands.Result result =
                Commands.run(STATE_TIMEOUT, "runc", "--root", root.toString(), "delete", "-f", containerId);
        if (result.exitCode() != 0 && !result.output().contains("does not exist")) {
            throw new CommandException("runc delete -f " + containerId + " failed: " + result.output());
        }
    }

    @Override
    public Path dumpLog(Path workDir) {
        return workDir.resolve(DUMP_LOG);
    }

    @Override
    public Path restoreLog(Path workDir) {
        return workDir.resolve(RESTORE_LOG);
    }

    @Override
    public Path lazyPagesLog(Path workDir) {
        return workDir.resolve(LAZY_PAGES_LOG);
    }

    private static void createDirectories(Path... dirs) {
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + e.getMessage(), e);
        }
    }

    /** CRIU's own log says why a dump or restore failed; runc only says that it did. */
    private static String criuLogTail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            var errors = lines.stream().filter(l -> l.contains("Error")).toList();
            var tail = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 5), lines.size()) : errors;
            return "; " + log + ": " + String.join(" | ", tail.subList(Math.max(0, tail.size() - 5), tail.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
