package dev.kompact.agent.testing;

import dev.kompact.agent.runtime.CommandException;
import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.RuncRuntime;
import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.Phase;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Nodes made of namespaces on one host: a bridge is the cluster's L2 segment (10.213.0.0/24), a "client" namespace
 * sits on it, and each node is an agent process with its own runc root and state directory. Pods get their own
 * namespaces on the bridge. Everything on the host is named after this JVM's {@link TestRun} and removed by
 * {@link #close}, or by the next run if this one is killed.
 */
public final class EmulatedCluster implements AutoCloseable {
    public static final String BRIDGE = TestRun.PREFIX + "-br";
    public static final Path CLIENT_NAMESPACE = Path.of("/run/netns/" + TestRun.PREFIX + "-client");
    private static final String CLIENT_VETH = TestRun.PREFIX + "-c";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final TestPki pki;
    private final TlsFiles controller;
    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<Containerd> containerds = new ArrayList<>();
    private Path image;
    private List<Path> imageBinaries = List.of();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    private EmulatedCluster(Path workDir, TestPki pki) {
        this.workDir = workDir;
        this.pki = pki;
        this.controller = pki.issue("controller");
    }

    public static EmulatedCluster create(Path workDir) throws Exception {
        TestRun.claim(workDir);
        // an earlier cluster of this run that was not closed (a failed @BeforeAll) would clash with this one
        TestRun.release();
        Commands.check(TIMEOUT, "ip", "link", "add", BRIDGE, "type", "bridge");
        Commands.check(TIMEOUT, "ip", "link", "set", BRIDGE, "up");
        String client = CLIENT_NAMESPACE.getFileName().toString();
        Commands.check(TIMEOUT, "ip", "netns", "add", client);
        Commands.check(
                TIMEOUT, "ip", "link", "add", CLIENT_VETH, "type", "veth", "peer", "name", "eth0", "netns", client);
        Commands.check(TIMEOUT, "ip", "link", "set", CLIENT_VETH, "master", BRIDGE, "up");
        Commands.check(TIMEOUT, "ip", "-n", client, "link", "set", "lo", "up");
        Commands.check(TIMEOUT, "ip", "-n", client, "addr", "add", "10.213.0.100/24", "dev", "eth0");
        Commands.check(TIMEOUT, "ip", "-n", client, "link", "set", "eth0", "up");
        return new EmulatedCluster(workDir, TestPki.create(workDir, "kompact-test-ca"));
    }

    public AgentProcess startAgent(String node, String... extraFlags) throws Exception {
        String[] flags = Stream.concat(Stream.of("--name-prefix", TestRun.PREFIX), Stream.of(extraFlags))
                .toArray(String[]::new);
        AgentProcess agent = AgentProcess.start(node, workDir, BRIDGE, pki.issue(node), flags);
        agents.add(agent);
        return agent;
    }

    /**
     * A node whose pods containerd runs (through CRI, from {@link KubeletStandIn}); its agent works on containerd's
     * runc root and installs the restore wrapper that containerd's kompact-restore handler runs, so it starts first.
     *
     * @param rangeStart first address this node's CNI hands out, e.g. "10.213.0.10"; the range spans 40 addresses
     */
    public ContainerdNode startContainerdNode(String node, String rangeStart, String... agentFlags) throws Exception {
        return startContainerdNode(node, rangeStart, 40, agentFlags);
    }

    /** @param addresses how many addresses from rangeStart this node's CNI hands out */
    public ContainerdNode startContainerdNode(String node, String rangeStart, int addresses, String... agentFlags)
            throws Exception {
        if (image == null) {
            image = BusyboxImage.build(java.nio.file.Files.createDirectories(workDir.resolve("image")), imageBinaries);
        }
        String[] flags = Stream.concat(Stream.of("--name-prefix", TestRun.PREFIX), Stream.of(agentFlags))
                .toArray(String[]::new);
        AgentProcess agent = AgentProcess.start(
                node, workDir, BRIDGE, pki.issue(node), Containerd.k8sRuncRoot(workDir, node), flags);
        agents.add(agent);
        String[] octets = rangeStart.split("\\.");
        String rangeEnd =
                octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + addresses - 1);
        Containerd containerd = Containerd.start(
                workDir,
                node,
                BRIDGE,
                rangeStart,
                rangeEnd,
                AgentProcess.stateDir(workDir, node).resolve("bin/kompact-restore"),
                image);
        containerds.add(containerd);
        return new ContainerdNode(
                agent,
                containerd,
                new KubeletStandIn(containerd, workDir.resolve(node).resolve("logs")));
    }

    /** Static binaries the containerd nodes' image carries in /bin; set before the first such node starts. */
    public EmulatedCluster withImageBinaries(List<Path> binaries) {
        this.imageBinaries = List.copyOf(binaries);
        return this;
    }

    public CounterPod startCounterPod(String node, String id, String ipCidr) throws Exception {
        return CounterPod.start(workDir, node, BRIDGE, id, ipCidr, CounterPod.counterServer(), List.of());
    }

    /** A counter pod that also runs {@code background} (a shell command line using {@code binaries}). */
    public CounterPod startCounterPod(String node, String id, String ipCidr, String background, List<Path> binaries)
            throws Exception {
        List<String> command = List.of(background, "&", "exec", String.join(" ", CounterPod.counterServer()));
        return CounterPod.start(workDir, node, BRIDGE, id, ipCidr, command, binaries);
    }

    /** The controller's identity, for calling agents. */
    public TlsFiles controllerTls() {
        return controller;
    }

    public TestPki pki() {
        return pki;
    }

    public Path workDir() {
        return workDir;
    }

    /** The controller's view of an agent, with a deadline long enough for a migration. */
    public NodeAgentGrpc.NodeAgentBlockingStub agent(AgentProcess agent) {
        return NodeAgentGrpc.newBlockingStub(channel(agent)).withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    /** The controller's channel to an agent, for streaming calls. */
    public ManagedChannel channel(AgentProcess agent) {
        return channels.computeIfAbsent(agent.address(), controller::channelTo);
    }

    /** An agent's view of another, as the agent of {@code node} (e.g. a migration's source) calls it. */
    public NodeAgentGrpc.NodeAgentBlockingStub asAgentOf(String node, AgentProcess agent) {
        return NodeAgentGrpc.newBlockingStub(peerChannel(node, agent)).withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    /** The channel the agent of {@code node} has to another agent, for streaming calls. */
    public ManagedChannel peerChannel(String node, AgentProcess agent) {
        return channels.computeIfAbsent(
                node + "->" + agent.address(),
                k -> pki.issue(node + "-peer", PeerIdentity.NODE_PREFIX + node).channelTo(agent.address()));
    }

    public void awaitPhase(AgentProcess agent, String migrationId, Phase phase) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (agent(agent)
                                .getMigration(GetMigrationRequest.newBuilder()
                                        .setMigrationId(migrationId)
                                        .build())
                                .getPhase()
                        == phase) {
                    return;
                }
            } catch (StatusRuntimeException e) {
                // not registered yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("migration " + migrationId + " never reached " + phase);
    }

    public Optional<ContainerRuntime.ContainerInfo> container(String node, String id) {
        return new RuncRuntime(AgentProcess.runcRoot(workDir, node)).find(id);
    }

    /**
     * Whether a process of the container can run on the node: runc's status says "running" for a container whose
     * processes CRIU holds stopped (a lazy dump serving pages), so the processes' own states decide.
     */
    public boolean runs(String node, String id) throws IOException {
        if (container(node, id).isEmpty()) {
            return false;
        }
        List<Long> pids;
        try {
            pids = new RuncRuntime(AgentProcess.runcRoot(workDir, node)).processes(id);
        } catch (CommandException e) {
            if (container(node, id).isEmpty()) {
                return false; // deleted since it was found
            }
            throw e;
        }
        for (long pid : pids) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            } catch (NoSuchFileException exited) {
                continue;
            }
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            // t: stopped by a tracer (CRIU), T: stopped, D: frozen by the cgroup freezer, Z: exited
            if ("tTDZ".indexOf(state) < 0) {
                return true;
            }
        }
        return false;
    }

    public boolean namespaceExists(String node, String podId) {
        return Files.exists(namespaceOf(node, podId));
    }

    /** Where the agent of {@code node} keeps the network namespace of pod {@code podId}. */
    public static Path namespaceOf(String node, String podId) {
        return Path.of("/run/netns/" + TestRun.PREFIX + "-" + node + "-" + podId);
    }

    @Override
    public void close() throws Exception {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow();
        }
        for (Containerd containerd : containerds) {
            try {
                containerd.close();
            } catch (Exception e) {
                // its pods' processes are in the run's cgroups: TestRun.release kills them
            }
        }
        for (AgentProcess agent : agents) {
            agent.close();
        }
        // thaws, kills and deletes the containers left in the agents' runc roots, then the namespaces and links
        TestRun.release();
    }
}
