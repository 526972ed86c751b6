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

/**
 * One party's mutual-TLS identity: its certificate chain and PKCS#8 key (PEM), and the CA that signs every agent and
 * controller. Servers require a client certificate from that CA; clients check the server's against it.
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustedCa) {

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

  /** A channel to an agent at host:port; the host must match a name or IP in the agent's certificate. */
  public ManagedChannel channelTo(String address) {
    return Grpc.newChannelBuilder(address, channelCredentials()).build();
  }
}
