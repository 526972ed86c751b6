package dev.kompact.agent;

import dev.kompact.agent.criu.CriuCapabilities;
import dev.kompact.agent.migration.PeerAgents;
import dev.kompact.agent.migration.SourceMigrations;
import dev.kompact.agent.migration.SourcePodRecovery;
import dev.kompact.agent.migration.SourceRecovery;
import dev.kompact.agent.migration.TargetMigrations;
import dev.kompact.agent.migration.TargetPodMigrations;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.net.VpcRoutes;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.RestoreSpool;
import dev.kompact.agent.runtime.RuncRuntime;
import dev.kompact.agent.tls.PeerIdentityInterceptor;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.CapabilitiesResponse;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One node's agent: probes what the node can do, cleans up after a crash, then serves over mutual TLS. */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

    private static final int IMAGE_WINDOW_BYTES = 16 << 20;

    private final Server server;
    private final PeerAgents peers;

    private AgentServer(Server server, PeerAgents peers) {
        this.server = server;
        this.peers = peers;
    }

    public static AgentServer start(AgentConfig config) throws IOException {
        ContainerRuntime runtime = new RuncRuntime(config.runcRoot());
        PodNetwork network = new PodNetwork(config.nodeName(), config.podBridge(), config.namePrefix());
        CriuCapabilities criu = CriuCapabilities.probe(config.libcriu(), config.criuBinary());
        List<Strategy> strategies = criu.strategies();
        CapabilitiesResponse capabilities = CapabilitiesResponse.newBuilder()
                .setNodeName(config.nodeName())
                .setRuntime(runtime.description())
                .setCriuVersion(criu.version())
                .setLazyPages(criu.lazyPages())
                .setDirtyTracking(criu.dirtyTracking())
                .addAllStrategies(strategies)
                .build();

        // post-copy's pages are not gRPC: the same identity, for JSSE sockets
        SSLContext pageTls = config.tls().sslContext();
        TargetMigrations incoming = new TargetMigrations(
                config.nodeName(),
                config.stateDir(),
                runtime,
                network,
                config.maxImageBytes(),
                config.maxImageEntries(),
                pageTls);
        incoming.cleanUpAfterCrash();
        // containerd's kompact-restore handler runs the wrapper installed here; pods' images come in beside
        RestoreSpool spool = RestoreSpool.install(config.stateDir());
        TargetPodMigrations incomingPods = new TargetPodMigrations(
                config.nodeName(),
                config.stateDir(),
                runtime,
                new SandboxNetwork(),
                config.podNetwork() == AgentConfig.PodNetworkType.VPC_CNI
                        ? Optional.of(new VpcRoutes())
                        : Optional.empty(),
                spool,
                config.maxImageBytes(),
                config.maxImageEntries());
        incomingPods.cleanUpAfterCrash();
        PeerAgents peers = new PeerAgents(config.tls());
        new SourceRecovery(config.stateDir(), runtime, network, peers).recover();
        new SourcePodRecovery(config.stateDir(), runtime, new SandboxNetwork(), peers).recover();
        SourceMigrations outgoing = new SourceMigrations(
                config.nodeName(),
                config.stateDir(),
                runtime,
                network,
                peers,
                strategies,
                config.transferBytesPerSecond(),
                config.listenHost(),
                pageTls);

        // bound to the configured host only: Grpc.newServerBuilderForPort would listen on every address
        Server server = NettyServerBuilder.forAddress(
                        new InetSocketAddress(config.listenHost(), config.port()),
                        config.tls().serverCredentials())
                .addService(ServerInterceptors.intercept(
                        new AgentService(config.nodeName(), capabilities, outgoing, incoming, incomingPods),
                        new PeerIdentityInterceptor()))
                // images arrive in 256 KiB chunks: gRPC's default 1 MiB window would let only four be in flight
                .flowControlWindow(IMAGE_WINDOW_BYTES)
                // the peers' pings (TlsFiles.channelTo), with room for one that comes early: too many close the
                // connection
                .permitKeepAliveTime(TlsFiles.KEEPALIVE_SECONDS / 2, TimeUnit.SECONDS)
                .build()
                .start();
        log.info(
                "agent of node {} serving on {}:{} ({}, CRIU {}, lazy pages {}, dirty tracking {}, strategies {})",
                config.nodeName(),
                config.listenHost(),
                server.getPort(),
                capabilities.getRuntime(),
                criu.version(),
                criu.lazyPages(),
                criu.dirtyTracking(),
                strategies);
        return new AgentServer(server, peers);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        peers.close();
    }
}
