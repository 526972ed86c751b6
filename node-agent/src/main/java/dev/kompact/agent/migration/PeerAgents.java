package dev.kompact.agent.migration;

import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.NodeAgentGrpc;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Channels to the other agents, over mutual TLS with this agent's identity; one per address, kept. */
public final class PeerAgents implements AutoCloseable {
    private final TlsFiles identity;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public PeerAgents(TlsFiles identity) {
        this.identity = identity;
    }

    NodeAgentGrpc.NodeAgentBlockingStub blocking(String address) {
        return NodeAgentGrpc.newBlockingStub(channel(address));
    }

    NodeAgentGrpc.NodeAgentStub async(String address) {
        return NodeAgentGrpc.newStub(channel(address));
    }

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, identity::channelTo);
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
