package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveMigrationTest {

    @TempDir
    Path dir;

    @Test
    void readsTheIdentityTheSecretMountsAndTheAgentSelector() throws Exception {
        for (String file : new String[] {"tls.crt", "tls.key", "ca.crt"}) {
            Files.writeString(dir.resolve(file), "pem");
        }

        LiveMigration live =
                LiveMigration.of(dir, "app.kubernetes.io/instance=kompact, app.kubernetes.io/component=agent");

        assertThat(live.identity().privateKey()).isEqualTo(dir.resolve("tls.key"));
        assertThat(live.agentSelector())
                .isEqualTo(Map.of("app.kubernetes.io/instance", "kompact", "app.kubernetes.io/component", "agent"));
    }

    @Test
    void namesTheMissingFileOfTheIdentity() throws Exception {
        Files.writeString(dir.resolve("tls.crt"), "pem");

        assertThatThrownBy(() -> LiveMigration.of(dir, "app=agent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("tls.key").toString(), "missing");
    }

    @Test
    void namesTheMalformedLabelOfTheSelector() throws Exception {
        for (String file : new String[] {"tls.crt", "tls.key", "ca.crt"}) {
            Files.writeString(dir.resolve(file), "pem");
        }

        assertThatThrownBy(() -> LiveMigration.of(dir, "app=agent,component"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"component\" is not key=value");
    }
}
