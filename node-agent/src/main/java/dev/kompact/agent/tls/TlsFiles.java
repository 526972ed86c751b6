package dev.kompact.agent.tls;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * One party's mutual-TLS identity: its certificate chain and PKCS#8 key (PEM), and the CA that signs every agent and
 * controller. Servers require a client certificate from that CA; clients check the server's against it.
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustedCa) {
    /** How often a channel pings the agent during a call; agents permit twice that rate. */
    public static final long KEEPALIVE_SECONDS = 10;

    /** Re-reads the files when they change: each new connection is served with the pair then in them. */
    public ServerCredentials serverCredentials() {
        ReloadingTls tls = new ReloadingTls(this);
        return TlsServerCredentials.newBuilder()
                .keyManager(tls.keyManager())
                .trustManager(tls.trustManager())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
    }

    /** Re-reads the files when they change: each new connection presents the pair then in them. */
    public ChannelCredentials channelCredentials() {
        ReloadingTls tls = new ReloadingTls(this);
        return TlsChannelCredentials.newBuilder()
                .keyManager(tls.keyManager())
                .trustManager(tls.trustManager())
                .build();
    }

    /**
     * A channel to an agent at host:port; the host must match a name or IP in the agent's certificate. Calls under way
     * ping the agent, so that a partition fails a long call (a post-copy Restore) in seconds, not at its deadline.
     */
    public ManagedChannel channelTo(String address) {
        return Grpc.newChannelBuilder(address, channelCredentials())
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .build();
    }

    /**
     * The same identity and CA for plain JSSE sockets (post-copy's page traffic, which is not gRPC). Servers made from
     * it must still require client authentication themselves.
     */
    public SSLContext sslContext() {
        ReloadingTls tls = new ReloadingTls(this);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {tls.keyManager()}, new TrustManager[] {tls.trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces key and chain as one pair ({@link KeyPairFiles}): a reader of these files sees the old pair or the new
     * one, never a new key with the old chain.
     */
    public void install(String keyPem, String chainPem) {
        try {
            KeyPairFiles.write(certificateChain, privateKey, chainPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TLS identity " + this + ": " + e.getMessage(), e);
        }
    }

    /** The first certificate of the chain, read with its key as one pair; refused when the key is not its own. */
    public X509Certificate certificate() {
        return TlsIdentity.read(certificateChain, privateKey).chain()[0];
    }
}
