package dev.kompact.agent.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.testing.HostTools;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRIU's own post-copy, without the agents: a restored process whose thread releases memory while another faults
 * pages in (release-while-faulting.c). CRIU 4.2.1 left the faulting thread asleep after an UFFDIO_COPY that failed
 * with EAGAIN, until the background transfer reached its page; install-test-deps.sh builds CRIU with
 * criu-patches/0001, which wakes it to fault again.
 */
@Tag("criu")
class LazyPagesReleaseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CRIU = "/usr/local/sbin/criu";

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    /**
     * 8 MiB released page by page, 192 MiB untouched, 32 MiB read page by page: the background transfer reaches the
     * read pages after 200 of 232 MiB, so a fault it leaves unserved waits about half the page fetch (0.44-0.64 of
     * it in 5 runs of CRIU 4.2.1), while a re-served one waits as long as REMOVE events keep coming (0.02-0.09).
     */
    @Test
    void servesAFaultAgainWhenAReleaseInAnotherThreadMadeItsCopyFail() throws Exception {
        assumeTrue(
                HostTools.liveMigrationMissing().isEmpty(),
                () -> HostTools.liveMigrationMissing().orElseThrow());
        Path workload = compile();
        Path source = Files.createDirectory(dir.resolve("source"));
        Path target = dir.resolve("target");
        Path go = dir.resolve("go");
        Path out = dir.resolve("out");
        int port = freePort();

        // its own pid namespace: the frozen source keeps the pids the restore needs
        Process unshare = start(List.of(
                "unshare",
                "-p",
                "-f",
                "setsid",
                workload.toString(),
                "32",
                "192",
                "8",
                "0",
                go.toString(),
                out.toString()));
        long pid = awaitChild(unshare);
        awaitResident(pid, (32 + 192 + 8) << 10);

        Process dump = start(
                criu(
                        "dump",
                        "-t",
                        String.valueOf(pid),
                        "-D",
                        source.toString(),
                        "--lazy-pages",
                        "--address",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "-o",
                        "dump.log",
                        "-v4"),
                source.resolve("dump-ready"));
        awaitNonEmpty(source.resolve("dump-ready"));
        Commands.check(TIMEOUT, "cp", "-a", source.toString(), target.toString());
        Process lazyPages = start(
                criu(
                        "lazy-pages",
                        "--page-server",
                        "--address",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "-D",
                        target.toString(),
                        "-o",
                        "lazy-pages.log",
                        "-v4"),
                target.resolve("lazy-ready"));
        awaitNonEmpty(target.resolve("lazy-ready"));

        long restored = System.nanoTime();
        Commands.check(TIMEOUT, CRIU, "restore", "-D", target.toString(), "--lazy-pages", "-d", "-o", "restore.log");
        Files.createFile(go);
        // CRIU 4.2.1's daemon sometimes never finishes when a release hits a background request still in flight (its
        // answer then no longer matches the request; seen with and without the patch, about one run in seven): a
        // second bug, not the stall this test is about, so such a run says so and proves nothing either way
        assumeTrue(
                lazyPages.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                "CRIU's lazy-pages daemon did not finish (its in-flight request bug), so the stall was not measured");
        long fetchMillis = (System.nanoTime() - restored) / 1_000_000;
        assertThat(dump.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        awaitNonEmpty(out);

        Map<String, Long> result = parse(Files.readString(out));
        assertThat(Files.readString(target.resolve("lazy-pages.log")))
                .as("a release made a copy fail, as in the workload this reproduces")
                .contains("errno:11");
        assertThat(result.get("bad")).as("pages read with the wrong content").isZero();
        assertThat(result.get("stall_us") / 1000)
                .as("the longest read, against the page fetch's " + fetchMillis + " ms: " + result)
                .isLessThan(fetchMillis / 4);
    }

    private Path compile() throws Exception {
        Path source = dir.resolve("release-while-faulting.c");
        try (InputStream in = getClass().getResourceAsStream("/lazy/release-while-faulting.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("release-while-faulting");
        Commands.check(
                Duration.ofMinutes(1), "cc", "-O2", "-static", "-pthread", "-o", binary.toString(), source.toString());
        return binary;
    }

    private static List<String> criu(String... args) {
        List<String> command = new ArrayList<>(List.of(CRIU));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts with stdio away from the test's; with {@code readyFile}, CRIU writes a byte there once it serves. */
    private Process start(List<String> command, Path readyFile) throws IOException {
        List<String> withStatus = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" --status-fd 9 9>\"$0\""));
        withStatus.add(readyFile.toString());
        withStatus.addAll(command);
        return start(withStatus);
    }

    private Process start(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(process);
        return process;
    }

    private static long awaitChild(Process parent) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var child = parent.toHandle().children().findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("unshare started no workload");
    }

    private static void awaitResident(long pid, long kib) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:") && Long.parseLong(line.replaceAll("\\D", "")) >= kib) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the workload never touched its " + kib + " KiB");
    }

    private static void awaitNonEmpty(Path file) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(file) || Files.size(file) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " stayed empty");
            }
            Thread.sleep(10);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static Map<String, Long> parse(String line) {
        Map<String, Long> fields = new HashMap<>();
        for (String field : line.trim().split(" ")) {
            String[] kv = field.split("=");
            fields.put(kv[0], Long.parseLong(kv[1]));
        }
        return fields;
    }

    /** The restored workload exits by itself once it wrote its result; what is left of a failed run is killed. */
    @AfterEach
    void stopWhatWasStarted() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
