package dev.kompact.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each thing a received bundle may not ask for, on top of the config real runc writes for a container. */
class MigrationBundleRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path bundle;

    @BeforeEach
    void runcSpec() {
        assumeTrue(
                Commands.run(Duration.ofSeconds(10), "sh", "-c", "command -v runc")
                                .exitCode()
                        == 0,
                "runc is not installed (node-agent/scripts/install-test-deps.sh)");
        Commands.check(Duration.ofSeconds(10), "runc", "spec", "--bundle", bundle.toString());
    }

    @Test
    void acceptsWhatRuncGivesAContainerByDefault() {
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle))).isEmpty();
    }

    @Test
    void refusesABindMountOfTheHost() throws Exception {
        edit(c -> c.withArray("mounts")
                .addObject()
                .put("destination", "/host")
                .put("source", "/")
                .put("type", "none")
                .putArray("options")
                .add("rbind"));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("mount of / (none) on /host");
    }

    @Test
    void refusesACapabilityBeyondTheDefaultSet() throws Exception {
        edit(c -> c.with("process").with("capabilities").withArray("bounding").add("CAP_SYS_ADMIN"));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("CAP_SYS_ADMIN in process.capabilities.bounding");
    }

    @Test
    void refusesAHostDisk() throws Exception {
        edit(c -> c.with("linux")
                .withArray("devices")
                .addObject()
                .put("path", "/dev/sda")
                .put("type", "b")
                .put("major", 8)
                .put("minor", 0));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("device /dev/sda (b 8:0)");
    }

    @Test
    void refusesAccessToEveryDevice() throws Exception {
        edit(c -> c.with("linux")
                .with("resources")
                .withArray("devices")
                .addObject()
                .put("allow", true)
                .put("access", "rwm"));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("linux.resources.devices");
    }

    @Test
    void refusesJoiningTheHostsPidNamespace() throws Exception {
        edit(c -> {
            for (var ns : c.with("linux").withArray("namespaces")) {
                if (ns.path("type").asText().equals("pid")) {
                    ((ObjectNode) ns).put("path", "/proc/1/ns/pid");
                }
            }
        });
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("pid namespace joined at /proc/1/ns/pid");
    }

    @Test
    void refusesSharingTheHostsMountNamespace() throws Exception {
        edit(c -> c.with("linux")
                .withArray("namespaces")
                .removeIf(ns -> ns.path("type").asText().equals("mount")));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("no mount namespace of its own");
    }

    @Test
    void refusesARootOutsideTheBundle() throws Exception {
        edit(c -> c.with("root").put("path", "/"));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("root.path is '/'");
    }

    @Test
    void refusesHooksThatWouldRunOnTheHost() throws Exception {
        edit(c -> c.with("hooks").withArray("createRuntime").addObject().put("path", "/bin/sh"));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("hooks");
    }

    @Test
    void refusesACriuConfigFileOfTheHost() throws Exception {
        edit(c -> c.with("annotations").put("org.criu.config", "/tmp/evil.conf"));
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .contains("org.criu.config");
    }

    @Test
    void readsNoConfigThroughALink() throws Exception {
        Path real = Files.move(bundle.resolve("config.json"), bundle.resolve("real.json"));
        Files.createSymbolicLink(bundle.resolve("config.json"), real);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BundleConfig.read(bundle))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.json");
    }

    private void edit(Consumer<ObjectNode> change) throws Exception {
        Path file = bundle.resolve("config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(config);
        JSON.writeValue(file.toFile(), config);
    }
}
