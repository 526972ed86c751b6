package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.tls.TlsFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    private static final TlsFiles TLS = new TlsFiles(Path.of("cert.pem"), Path.of("key.pem"), Path.of("ca.pem"));

    @Test
    void rejectsANegativeImageBound() {
        assertThatThrownBy(() -> config(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-image-bytes");
    }

    @Test
    void rejectsANegativeTransferRate() {
        assertThatThrownBy(() -> config(AgentConfig.DEFAULT_MAX_IMAGE_BYTES, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--transfer-bytes-per-second");
    }

    private static AgentConfig config(long maxImageBytes, long transferBytesPerSecond) {
        return new AgentConfig(
                "node",
                "127.0.0.1",
                0,
                Path.of("state"),
                Path.of("runc"),
                "br0",
                AgentConfig.DEFAULT_NAME_PREFIX,
                TLS,
                maxImageBytes,
                AgentConfig.DEFAULT_MAX_IMAGE_ENTRIES,
                transferBytesPerSecond,
                AgentConfig.DEFAULT_LIBCRIU,
                AgentConfig.DEFAULT_CRIU,
                AgentConfig.PodNetworkType.BRIDGE);
    }
}
