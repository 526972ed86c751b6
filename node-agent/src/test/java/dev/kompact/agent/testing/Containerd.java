package dev.kompact.agent.testing;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.testing.cri.v1.ListPodSandboxRequest;
import dev.kompact.agent.testing.cri.v1.RemovePodSandboxRequest;
import dev.kompact.agent.testing.cri.v1.RuntimeServiceGrpc;
import dev.kompact.agent.testing.cri.v1.StopPodSandboxRequest;
import dev.kompact.agent.testing.cri.v1.VersionRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One emulated node's containerd (Debian's, with its CRI plugin and the runc v2 shim), configured as a kubelet's
 * node would have it, everything under the node's directory of the test run:
 * <ul>
 *   <li>runc's root is under the node's directory ({@link #k8sRuncRoot}), the one its agent works on;</li>
 *   <li>the CNI bridge plugin puts pods on the cluster bridge, host-local hands out this node's range of
 *       10.213.0.0/24;</li>
 *   <li>a runtime handler {@value #RESTORE_HANDLER} (RuntimeClass {@code kompact-restore}) runs the agent's restore
 *       wrapper as its runc, and passes the pods' {@code kompact.dev/} annotations into the containers' OCI specs;</li>
 *   <li>pod cgroups go under the test run's prefix, so that {@link TestRun} finds what a killed run left;</li>
 *   <li>oom_score_adj is never lowered below containerd's own: root lacks CAP_SYS_RESOURCE on this VM kind, and the
 *       kubelet's -998 for sandboxes fails runc's create ("failed to update /proc/self/oom_score_adj").</li>
 * </ul>
 */
public final class Containerd implements AutoCloseable {
    public static final String RESTORE_HANDLER = "kompact-restore";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String node;
    private final Path dir;
    private final Process process;
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final ManagedChannel channel;

    private Containerd(String node, Path dir, Process process) {
        this.node = node;
        this.dir = dir;
        this.process = process;
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket().toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build();
    }

    /**
     * @param ipRange first and last address host-local may give this node's pods, e.g. "10.213.0.10", "10.213.0.49"
     * @param restoreWrapper the agent's {@code kompact-restore} runc wrapper
     */
    public static Containerd start(
            Path workDir,
            String node,
            String bridge,
            String rangeStart,
            String rangeEnd,
            Path restoreWrapper,
            Path image)
            throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(node).resolve("containerd"));
        Path cni = Files.createDirectories(dir.resolve("cni"));
        Files.writeString(cni.resolve("10-pods.conflist"), """
                {"cniVersion": "0.4.0", "name": "%s", "plugins": [{"type": "bridge", "bridge": "%s",
                  "isGateway": false, "ipMasq": false, "ipam": {"type": "host-local", "dataDir": "%s",
                  "ranges": [[{"subnet": "10.213.0.0/24", "rangeStart": "%s", "rangeEnd": "%s"}]]}}]}
                """.formatted(
                        TestRun.PREFIX + "-" + node, bridge, dir.resolve("ipam"), rangeStart, rangeEnd));
        Path runc = runcRoot(workDir, node);
        String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        Path config = dir.resolve("config.toml");
        Files.writeString(
                config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
                [grpc]
                  address = "%1$s/containerd.sock"
                [ttrpc]
                  address = "%1$s/containerd.ttrpc.sock"
                [%2$s]
                  sandbox_image = "%3$s"
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  restrict_oom_score_adj = true
                  [%2$s.containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [%2$s.containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [%2$s.containerd.runtimes.runc.options]
                        Root = "%4$s"
                    [%2$s.containerd.runtimes.%5$s]
                      runtime_type = "io.containerd.runc.v2"
                      pod_annotations = ["kompact.dev/*"]
                      [%2$s.containerd.runtimes.%5$s.options]
                        Root = "%4$s"
                        BinaryName = "%6$s"
                  [%2$s.cni]
                    bin_dir = "/usr/lib/cni"
                    conf_dir = "%7$s"
                """.formatted(dir, cri, BusyboxImage.NAME, runc, RESTORE_HANDLER, restoreWrapper, cni));
        Process process = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile())
                .start();
        Containerd containerd = new Containerd(node, dir, process);
        containerd.awaitServing();
        // named by the layout's ref.name annotation: with --index-name, ctr 1.6.20 failed about one import in four on
        // a fresh root ("content digest ...: not found" for the index it writes)
        Commands.check(
                TIMEOUT,
                "ctr",
                "--address",
                containerd.socket().toString(),
                "-n",
                "k8s.io",
                "images",
                "import",
                image.toString());
        return containerd;
    }

    /** runc's root as containerd's shim uses it: the configured Root, then the containerd namespace. */
    public static Path k8sRuncRoot(Path workDir, String node) {
        return runcRoot(workDir, node).resolve("k8s.io");
    }

    private static Path runcRoot(Path workDir, String node) {
        return AgentProcess.runcRoot(workDir, node).resolveSibling("cri-runc");
    }

    private void awaitServing() throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("containerd of " + node + " exited: " + log());
            }
            if (Files.exists(socket())) {
                try {
                    runtime()
                            .version(
                                    VersionRequest.newBuilder().setVersion("v1").build());
                    return;
                } catch (StatusRuntimeException e) {
                    // the CRI plugin is still starting
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("containerd of " + node + " did not serve CRI within " + TIMEOUT);
    }

    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    public String node() {
        return node;
    }

    /** The cgroup parent of a pod on this node, as the kubelet's cgroupfs driver would name it. */
    public String cgroupParent(String podUid) {
        return "/" + TestRun.PREFIX + "/" + node + "/pod" + podUid;
    }

    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    public String log() throws Exception {
        return Files.readString(dir.resolve("containerd.log"));
    }

    /** Every pod down (their network namespaces and IPs released by CNI), then containerd and its shims. */
    @Override
    public void close() throws Exception {
        try {
            for (var sandbox : runtime()
                    .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                    .getItemsList()) {
                runtime()
                        .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(sandbox.getId())
                                .build());
                runtime()
                        .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(sandbox.getId())
                                .build());
            }
        } finally {
            channel.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
