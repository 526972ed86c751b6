package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.RuncRuntime;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.transfer.TransferRate;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The post-copy source's frozen copy, on real runc and CRIU. */
@Tag("criu")
class LazyCheckpointTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** SIGKILL's bit in /proc/PID/status's pending-signal masks. */
    private static final long SIGKILL_BIT = 1L << 8;

    @TempDir
    Path dir;

    private final String id = TestRun.PREFIX + "-discard";
    private Path runcRoot;

    /**
     * runc's forced delete of a paused container kills only its init, then thaws the cgroup: a process of the stale
     * copy still alive then runs until the init's exit kills it. So when the copy reaches runc's delete, each of its
     * processes must already be gone or have a SIGKILL pending, which it takes before it could run.
     */
    @Test
    void killsEveryProcessOfItsStaleCopyBeforeRuncsDeleteThawsIt() throws Exception {
        assumeTrue(
                HostTools.liveMigrationMissing().isEmpty(),
                () -> HostTools.liveMigrationMissing().orElseThrow());
        runcRoot = dir.resolve("runc");
        RuncRuntime runc = new RuncRuntime(runcRoot);
        startContainer();
        List<String> aliveAtDelete = new CopyOnWriteArrayList<>();
        ContainerRuntime runtime = (ContainerRuntime) Proxy.newProxyInstance(
                ContainerRuntime.class.getClassLoader(), new Class<?>[] {ContainerRuntime.class}, (p, m, args) -> {
                    if (m.getName().equals("delete") && runc.find(id).isPresent()) {
                        for (long pid : runc.processes(id)) {
                            if (mayRunAgain(pid)) {
                                aliveAtDelete.add(pid + " " + Files.readString(Path.of("/proc/" + pid + "/stat")));
                            }
                        }
                    }
                    try {
                        return m.invoke(runc, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        TestPki pki = TestPki.create(dir.resolve("pki"), "cluster-ca");
        PageRelay relay = new PageRelay(
                "m-discard",
                pki.issue("source").sslContext(),
                "127.0.0.1",
                InetAddress.getLoopbackAddress(),
                "target",
                PageRelay.freeLoopbackPort(),
                new TransferRate(0),
                () -> {});
        LazyCheckpoint checkpoint = LazyCheckpoint.start(
                "m-discard",
                id,
                dir.resolve("no-pod-namespace"),
                dir.resolve("image"),
                dir.resolve("work"),
                runtime,
                relay,
                "127.0.0.1",
                () -> {});
        // the target's session opens and ends (it died): discard need not wait for it
        String address = checkpoint.pageServerAddress();
        try (SSLSocket target = (SSLSocket) pki.issue("target")
                .sslContext()
                .getSocketFactory()
                .createSocket("127.0.0.1", Integer.parseInt(address.substring(address.indexOf(':') + 1)))) {
            target.startHandshake();
        }

        checkpoint.discard();

        assertThat(aliveAtDelete).as("processes runc's delete found alive").isEmpty();
        assertThat(runc.find(id)).isEmpty();
    }

    private static boolean mayRunAgain(long pid) throws IOException {
        List<String> status;
        try {
            status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        } catch (NoSuchFileException gone) {
            return false;
        }
        long pending = 0;
        for (String line : status) {
            if (line.startsWith("State:") && line.contains("zombie")) {
                return false;
            }
            if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
                pending |= Long.parseUnsignedLong(
                        line.substring(line.indexOf(':') + 1).trim(), 16);
            }
        }
        return (pending & SIGKILL_BIT) == 0;
    }

    /** Its init and two children, each in a sleep: alive, and frozen once paused. */
    private void startContainer() throws Exception {
        Path bundle = dir.resolve("bundle");
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet : new String[] {"sh", "sleep"}) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Commands.check(TIMEOUT, "runc", "spec", "--bundle", bundle.toString());
        ObjectMapper json = new ObjectMapper();
        ObjectNode config =
                (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = config.with("process");
        process.put("terminal", false);
        // stdio on a host file cannot be dumped (criu.md): the container's own /dev/null
        process.putArray("args")
                .add("/bin/sh")
                .add("-c")
                .add("exec </dev/null >/dev/null 2>&1; sleep 600 & sleep 600 & while sleep 600; do :; done");
        config.with("root").put("readonly", false);
        config.with("linux").put("cgroupsPath", "/" + TestRun.PREFIX + "/discard");
        json.writeValue(bundle.resolve("config.json").toFile(), config);
        Commands.check(TIMEOUT, "runc", "--root", runcRoot.toString(), "run", "-d", "--bundle", bundle.toString(), id);
    }

    @AfterEach
    void deleteContainer() {
        if (runcRoot != null) {
            Commands.run(TIMEOUT, "runc", "--root", runcRoot.toString(), "delete", "-f", id);
        }
    }
}
