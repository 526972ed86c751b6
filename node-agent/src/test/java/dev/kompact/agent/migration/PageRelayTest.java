package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay between real sockets: a stand-in for CRIU's page server on one side, the target's daemon on the other. */
class PageRelayTest {
  private static final int GET = 7;
  private static final int CLOSE = 0x1023;

  private ServerSocket criuServer;
  private CompletableFuture<Socket> criu;
  private PageRelay relay;

  @BeforeEach
  void startCriuStandIn() throws IOException {
    criuServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    criu = CompletableFuture.supplyAsync(() -> {
      try {
        Socket socket = criuServer.accept();
        socket.setSoTimeout(500);
        return socket;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    relay = new PageRelay("m-test", "127.0.0.1", InetAddress.getLoopbackAddress(), criuServer.getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    criuServer.close();
  }

  @Test
  void forwardsRequestsAndPagesButAnswersTheTargetsCloseItself() throws Exception {
    try (Socket target = connectTarget()) {
      target.getOutputStream().write(record(GET));
      Socket criuSide = criu.get(5, TimeUnit.SECONDS);
      assertThat(command(criuSide.getInputStream().readNBytes(32))).isEqualTo(GET);
      criuSide.getOutputStream().write("pages".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(target.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("pages");

      target.getOutputStream().write(record(CLOSE));

      assertThat(target.getInputStream().readNBytes(4)).as("status 0 from the relay").containsOnly(0);
      assertThat(relay.targetClosed(5000)).isTrue();
      // CRIU would end the dump as a success on CLOSE or end of stream: it must see neither
      assertThatThrownBy(() -> criuSide.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void keepsCriuWaitingWhenTheTargetVanishesWithoutClose() throws Exception {
    try (Socket target = connectTarget()) {
      target.getOutputStream().write(record(GET));
      Socket criuSide = criu.get(5, TimeUnit.SECONDS);
      criuSide.getInputStream().readNBytes(32);
      target.close();

      assertThat(relay.targetClosed(5000)).isFalse();
      assertThatThrownBy(() -> criuSide.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void commitSendsCloseThenEndOfStreamToCriu() throws Exception {
    try (Socket target = connectTarget()) {
      target.getOutputStream().write(record(CLOSE));
      target.getInputStream().readNBytes(4);

      relay.commit();

      Socket criuSide = criu.get(5, TimeUnit.SECONDS);
      assertThat(command(criuSide.getInputStream().readNBytes(32))).isEqualTo(CLOSE);
      assertThat(criuSide.getInputStream().read()).as("end of stream").isEqualTo(-1);
    }
  }

  @Test
  void failSendsAnUnknownCommandAndResetsCriuEvenWithoutTarget() throws Exception {
    relay.fail();

    Socket criuSide = criu.get(5, TimeUnit.SECONDS);
    assertThat(command(criuSide.getInputStream().readNBytes(32))).isEqualTo(0xffff);
    assertThatThrownBy(() -> criuSide.getInputStream().read()).isInstanceOf(SocketException.class)
        .hasMessageContaining("reset");
  }

  @Test
  void refusesPageConnectionsFromAnyOtherAddress() throws Exception {
    relay.close();
    relay = new PageRelay("m-test", "127.0.0.1", InetAddress.getByName("127.0.0.2"), criuServer.getLocalPort());
    try (Socket stranger = connectTarget()) {
      stranger.setSoTimeout(5000);
      assertThat(stranger.getInputStream().read()).as("closed by the relay").isEqualTo(-1);
    }
    assertThat(criu).isNotDone();
  }

  private Socket connectTarget() throws IOException {
    String address = relay.address("127.0.0.1");
    return new Socket("127.0.0.1", Integer.parseInt(address.substring(address.indexOf(':') + 1)));
  }

  private static byte[] record(int command) {
    return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putInt(command).array();
  }

  private static int command(byte[] record) {
    assertThat(record).hasSize(32);
    return ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }
}
