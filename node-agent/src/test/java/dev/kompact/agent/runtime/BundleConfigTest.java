package dev.kompact.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleConfigTest {
    @TempDir
    Path bundle;

    @Test
    void hostBindMountsAreTheBindsFromOutsideTheBundle() throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
        {"mounts": [
          {"destination": "/proc", "type": "proc", "source": "proc"},
          {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]},
          {"destination": "/data", "type": "bind", "source": "/var/lib/kubelet/pods/p1/volumes/cache"},
          {"destination": "/etc/resolv.conf", "source": "/run/containerd/p1/resolv.conf", "options": ["rbind", "ro"]},
          {"destination": "/seed", "source": "%s/seed", "options": ["bind"]},
          {"destination": "/rel", "source": "relative/dir", "options": ["bind"]}
        ]}
        """.formatted(bundle));

        assertThat(BundleConfig.read(bundle).hostBindMounts())
                .containsExactly(
                        "/var/lib/kubelet/pods/p1/volumes/cache on /data",
                        "/run/containerd/p1/resolv.conf on /etc/resolv.conf");
    }

    @Test
    void aConfigWithoutMountsHasNone() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{}");

        assertThat(BundleConfig.read(bundle).hostBindMounts()).isEmpty();
    }
}
