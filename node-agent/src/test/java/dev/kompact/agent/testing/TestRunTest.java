package dev.kompact.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.runtime.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed run leaves on the host, removed by the next run, and a live run's things left alone (needs root). */
class TestRunTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path RUNS = Path.of("/run/kompact-tests");
    private static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");

    @TempDir
    Path dir;

    @Test
    void removesWhatAKilledRunLeftAndNothingOfALiveOne() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "namespaces and cgroups need root");
        assumeTrue(Files.isDirectory(FREEZER), "no cgroup v1 freezer on this host");
        Process frozen = new ProcessBuilder("sleep", "600").start();
        Process liveOwner = new ProcessBuilder("sleep", "600").start();
        try {
            // the killed run: its owner is gone, its container frozen in its cgroup, its namespace still there
            Path dead = Files.createDirectories(RUNS.resolve("dead01"));
            Files.writeString(dead.resolve("owner"), "999999999 1");
            Files.writeString(dead.resolve("workdirs"), dir.resolve("dead-work") + "\n");
            Files.createDirectories(dir.resolve("dead-work/nodeA"));
            Path cgroup = Files.createDirectories(FREEZER.resolve("kt-dead01/nodeA/pod"));
            Files.writeString(cgroup.resolve("cgroup.procs"), String.valueOf(frozen.pid()));
            Files.writeString(cgroup.resolve("freezer.state"), "FROZEN");
            Commands.check(TIMEOUT, "ip", "netns", "add", "kt-dead01-nodeA-pod");
            // a live run of another JVM: its owner still runs
            Path live = Files.createDirectories(RUNS.resolve("live01"));
            String stat = Files.readString(Path.of("/proc", String.valueOf(liveOwner.pid()), "stat"));
            Files.writeString(
                    live.resolve("owner"),
                    liveOwner.pid() + " "
                            + stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            Commands.check(TIMEOUT, "ip", "netns", "add", "kt-live01-nodeA-pod");

            TestRun.claim(dir.resolve("this-run"));

            assertThat(frozen.waitFor(10, TimeUnit.SECONDS))
                    .as("thawed and killed")
                    .isTrue();
            assertThat(FREEZER.resolve("kt-dead01")).doesNotExist();
            assertThat(Path.of("/run/netns/kt-dead01-nodeA-pod")).doesNotExist();
            assertThat(dead).doesNotExist();
            assertThat(dir.resolve("dead-work")).doesNotExist();
            assertThat(Path.of("/run/netns/kt-live01-nodeA-pod")).exists();
            assertThat(live).exists();
        } finally {
            frozen.destroyForcibly();
            liveOwner.destroyForcibly();
            Commands.run(TIMEOUT, "ip", "netns", "del", "kt-live01-nodeA-pod");
            Commands.run(TIMEOUT, "ip", "netns", "del", "kt-dead01-nodeA-pod");
            Commands.run(
                    TIMEOUT,
                    "rm",
                    "-rf",
                    RUNS.resolve("live01").toString(),
                    RUNS.resolve("dead01").toString());
        }
    }
}
