package dev.kompact.agent.tls;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One party's mutual-TLS identity: its certificate chain and PKCS#8 key (PEM), and the CA that signs every agent and
 * controller. Servers require a client certificate from that CA; clients check the server's against it.
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustedCa) {
    /** How often a channel pings the agent during a call; agents permit twice that rate. */
    public static final long KEEPALIVE_SECONDS = 10;

    public ServerCredentials serverCredentials() {
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCa.toFile())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load TLS server identity " + this + ": " + e.getMessage(), e);
        }
    }

    public ChannelCredentials channelCredentials() {
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCa.toFile())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load TLS client identity " + this + ": " + e.getMessage(), e);
        }
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
        char[] inMemory = "in-memory".toCharArray();
        try (InputStream chain = Files.newInputStream(certificateChain);
                InputStream key = Files.newInputStream(privateKey);
                InputStream ca = Files.newInputStream(trustedCa)) {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry(
                    "identity",
                    CertificateUtils.getPrivateKey(key),
                    inMemory,
                    CertificateUtils.getX509Certificates(chain));
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            X509Certificate[] authorities = CertificateUtils.getX509Certificates(ca);
            for (int i = 0; i < authorities.length; i++) {
                trusted.setCertificateEntry("ca-" + i, authorities[i]);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, inMemory);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load TLS identity " + this + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "TLS identity " + this + " is not a usable PEM chain, PKCS#8 key and CA: " + e.getMessage(), e);
        }
    }
}
