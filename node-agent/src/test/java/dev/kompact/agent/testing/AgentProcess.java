package dev.kompact.agent.testing;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One emulated node's agent, as its own JVM process (so that a test can kill it like a crashed node agent). */
public final class AgentProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

    private final String node;
    private final List<String> command;
    private static final String LOGGING = """
            <configuration>
              <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="out"/></root>
            </configuration>
            """;
    private final Path log;
    private Process process;
    private int port;

    private AgentProcess(String node, List<String> command, Path log) {
        this.node = node;
        this.command = command;
        this.log = log;
    }

    /** @param extraFlags further AgentMain flags, e.g. "--max-image-bytes", "65536" */
    public static AgentProcess start(String node, Path workDir, String bridge, TlsFiles tls, String... extraFlags)
            throws Exception {
        return start(node, workDir, bridge, tls, runcRoot(workDir, node), extraFlags);
    }

    /** @param runcRoot the runc root the agent works on, e.g. containerd's for its k8s.io namespace */
    public static AgentProcess start(
            String node, Path workDir, String bridge, TlsFiles tls, Path runcRoot, String... extraFlags)
            throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(node));
        // the agent's INFO lines (its migrations' steps and timings) in its log whichever module's classpath it runs
        // on: the CLI's bundled configuration logs only warnings, and none at all logs everything
        Path logging = Files.writeString(dir.resolve("logback.xml"), LOGGING);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logging,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.kompact.agent.AgentMain",
                "--node",
                node,
                "--port",
                "0",
                "--state-dir",
                stateDir(workDir, node).toString(),
                "--runc-root",
                runcRoot.toString(),
                "--pod-bridge",
                bridge,
                "--tls-cert",
                tls.certificateChain().toString(),
                "--tls-key",
                tls.privateKey().toString(),
                "--tls-ca",
                tls.trustedCa().toString()));
        command.addAll(List.of(extraFlags));
        AgentProcess agent = new AgentProcess(node, command, dir.resolve("agent.log"));
        agent.launch();
        return agent;
    }

    /** The agent's state directory: its restore wrapper is bin/kompact-restore there. */
    public static Path stateDir(Path workDir, String node) {
        return workDir.resolve(node).resolve("state");
    }

    public static Path runcRoot(Path workDir, String node) {
        return workDir.resolve(node).resolve("runc");
    }

    public void launch() throws Exception {
        Files.deleteIfExists(log);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("agent of " + node + " exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("agent of " + node + " did not start within 60 s: " + Files.readString(log));
    }

    /** Starts the agent again on the port it had, as a node's agent comes back at its known address. */
    public void relaunchOnSamePort() throws Exception {
        int index = command.indexOf("--port");
        command.set(index + 1, String.valueOf(port));
        try {
            launch();
        } finally {
            command.set(index + 1, "0");
        }
    }

    /** Like a node agent crashing: SIGKILL, no shutdown hook. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Like a node cut off by a partition: the agent stops answering, its connections stay open, no reset is sent. */
    public void freeze() {
        signal("STOP");
    }

    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        Commands.check(java.time.Duration.ofSeconds(5), "kill", "-" + name, String.valueOf(process.pid()));
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public String node() {
        return node;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
