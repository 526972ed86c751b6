package dev.kompact.agent.testing;

import dev.kompact.agent.runtime.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * This JVM's test run on a host that other runs share (other worktrees, a CI job beside a developer's).
 *
 * <ol>
 *   <li>Every host-global name the run creates (network namespaces, bridge, veths, cgroups) starts with
 *       {@link #PREFIX}, a random run id: two runs never clash, and each removes only its own.</li>
 *   <li>The run registers its owner process (pid and start time) and its work directories under
 *       /run/kompact-tests/ID. A run killed before its cleanup (surefire's timeout, a developer's Ctrl-C, SIGKILL)
 *       leaves frozen containers, CRIU processes and agents behind; the next run finds that its owner is gone and
 *       removes them: thaw, kill, runc delete, cgroups, namespaces, links, files. A live run's are never touched.</li>
 * </ol>
 */
public final class TestRun {
    public static final String ID = randomId();
    /** Distinct from the "kompact-" names older harnesses delete wholesale at their start. */
    public static final String PREFIX = "kt-" + ID;

    private static final Path RUNS = Path.of("/run/kompact-tests");
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final OpenOption[] APPEND = {StandardOpenOption.CREATE, StandardOpenOption.APPEND};
    private static boolean registered;

    private TestRun() {}

    /** Records {@code workDir} as this run's, and removes what runs whose process died left on the host. */
    public static synchronized void claim(Path workDir) {
        try {
            Path dir = Files.createDirectories(RUNS.resolve(ID));
            Files.writeString(
                    dir.resolve("owner"), owner(ProcessHandle.current().pid()).orElseThrow());
            Files.writeString(dir.resolve("workdirs"), workDir.toAbsolutePath() + "\n", APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register test run " + ID + " in " + RUNS + ": " + e, e);
        }
        if (!registered) {
            registered = true;
            // a SIGTERM (surefire's timeout) still runs hooks: clean at once instead of at the next run
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                release();
                                deleteTree(RUNS.resolve(ID));
                            },
                            "test-run-cleanup"));
        }
        removeDeadRuns();
    }

    /** Removes everything of this run from the host; its work directories stay for JUnit to delete. */
    public static synchronized void release() {
        Path dir = RUNS.resolve(ID);
        if (Files.isDirectory(dir)) {
            clean(PREFIX, workDirs(dir));
        }
    }

    private static void removeDeadRuns() {
        if (!Files.isDirectory(RUNS)) {
            return;
        }
        try (Stream<Path> runs = Files.list(RUNS)) {
            for (Path run : runs.toList()) {
                String id = run.getFileName().toString();
                if (!id.equals(ID) && !alive(run)) {
                    List<Path> workDirs = workDirs(run);
                    clean("kt-" + id, workDirs);
                    workDirs.forEach(TestRun::deleteTree);
                    deleteTree(run);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + RUNS + ": " + e, e);
        }
    }

    private static void clean(String prefix, List<Path> workDirs) {
        List<Path> cgroups = cgroupsOf(prefix);
        // frozen tasks do not die of SIGKILL until thawed
        for (Path cgroup : cgroups) {
            Path state = cgroup.resolve("freezer.state");
            if (Files.exists(state)) {
                write(state, "THAWED");
            }
        }
        Set<Long> victims = new HashSet<>(processesMentioning(workDirs));
        for (Path cgroup : cgroups) {
            victims.addAll(pids(cgroup.resolve("cgroup.procs")));
        }
        victims.remove(ProcessHandle.current().pid());
        for (long pid : victims) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
        awaitGone(victims);
        for (Path workDir : workDirs) {
            for (Path root : runcRoots(workDir)) {
                for (String container : list(root)) {
                    Commands.run(TIMEOUT, "runc", "--root", root.toString(), "delete", "-f", container);
                }
            }
        }
        // deepest first: a cgroup can be removed once it has no children and no tasks
        cgroups.stream()
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .forEach(TestRun::removeCgroup);
        for (String line :
                Commands.run(TIMEOUT, "ip", "netns", "list").output().lines().toList()) {
            String name = line.split(" ")[0];
            if (name.startsWith(prefix + "-")) {
                Commands.run(TIMEOUT, "ip", "netns", "del", name);
            }
        }
        // a process still inside a namespace keeps its veth alive after ip netns del: these go by name
        Commands.run(TIMEOUT, "ip", "link", "del", prefix + "-br");
        Commands.run(TIMEOUT, "ip", "link", "del", prefix + "-c");
    }

    private static List<Path> cgroupsOf(String prefix) {
        List<Path> all = new ArrayList<>();
        for (String controller : list(CGROUPS)) {
            Path top = CGROUPS.resolve(controller).resolve(prefix);
            if (Files.isDirectory(top)) {
                try (Stream<Path> walk = Files.walk(top)) {
                    walk.filter(Files::isDirectory).forEach(all::add);
                } catch (IOException | UncheckedIOException e) {
                    // removed meanwhile
                }
            }
        }
        return all;
    }

    private static void removeCgroup(Path cgroup) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(cgroup);
                return;
            } catch (IOException e) {
                sleep(100); // EBUSY while its last tasks exit
            }
        }
    }

    /** Agents, runc, CRIU and lazy-pages daemons of a run name its work directory on their command line. */
    private static Set<Long> processesMentioning(List<Path> workDirs) {
        Set<Long> pids = new HashSet<>();
        for (String entry : list(Path.of("/proc"))) {
            if (!entry.chars().allMatch(Character::isDigit)) {
                continue;
            }
            try {
                String cmdline =
                        Files.readString(Path.of("/proc", entry, "cmdline")).replace('\0', ' ');
                if (workDirs.stream().anyMatch(w -> cmdline.contains(w.toString()))) {
                    pids.add(Long.parseLong(entry));
                }
            } catch (IOException | UncheckedIOException e) {
                // exited meanwhile
            }
        }
        return pids;
    }

    private static void awaitGone(Set<Long> pids) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (pids.stream().anyMatch(p -> ProcessHandle.of(p).isPresent()) && System.currentTimeMillis() < deadline) {
            sleep(50);
        }
    }

    private static boolean alive(Path run) {
        try {
            String recorded = Files.readString(run.resolve("owner"));
            long pid = Long.parseLong(recorded.split(" ")[0]);
            return owner(pid).map(recorded::equals).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false; // half-written: its owner died while registering
        }
    }

    /** A pid and its start time: a pid reused by another process is not the owner. */
    private static Optional<String> owner(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(pid + " " + fields[19]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Path> workDirs(Path run) {
        try {
            return Files.readAllLines(run.resolve("workdirs")).stream()
                    .filter(l -> !l.isBlank())
                    .map(Path::of)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Path> runcRoots(Path workDir) {
        return list(workDir).stream()
                .map(node -> workDir.resolve(node).resolve("runc"))
                .filter(Files::isDirectory)
                .toList();
    }

    private static List<Long> pids(Path procs) {
        try {
            return Files.readAllLines(procs).stream()
                    .filter(l -> !l.isBlank())
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            // gone meanwhile
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a tmp directory
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomId() {
        return String.format("%06x", new SecureRandom().nextInt(1 << 24));
    }
}
