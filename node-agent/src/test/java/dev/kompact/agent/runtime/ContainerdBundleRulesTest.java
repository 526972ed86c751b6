package dev.kompact.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target pod's bundle, as containerd 1.6.20's CRI wrote it for a pod container (recorded from PodMigrationTest's
 * node, paths re-rooted here): what it legitimately shares with its sandbox is accepted, anything more is not.
 */
class ContainerdBundleRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SANDBOX = "b64a160aa22a1ae2558c5fd0cf6af67a30150508c8f847d5bdd4541d236eb54d";
    private static final long PAUSE = 4242;

    @TempDir
    Path containerd;

    @TempDir
    Path bundle;

    @BeforeEach
    void writeBundle() throws Exception {
        Path files = Files.createDirectories(containerd.resolve("root/io.containerd.grpc.v1.cri/sandboxes/" + SANDBOX));
        for (String file : List.of("hosts", "hostname", "resolv.conf")) {
            Files.writeString(files.resolve(file), "");
        }
        Files.createDirectories(containerd.resolve("state/io.containerd.grpc.v1.cri/sandboxes/" + SANDBOX + "/shm"));
        try (InputStream in = getClass().getResourceAsStream("containerd-1.6.20-container.json")) {
            String spec = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@CONTAINERD@", containerd.toString())
                    .replace("@PAUSE@", String.valueOf(PAUSE));
            Files.writeString(bundle.resolve("config.json"), spec);
        }
    }

    @Test
    void acceptsWhatContainerdGivesAPodContainer() {
        assertThat(violations(new PodSandbox(SANDBOX, PAUSE))).isEmpty();
    }

    @Test
    void refusesTheSameBundleOutsideAPodSandbox() {
        // the sandbox's files are bind mounts of the host, its namespaces another process's
        assertThat(MigrationBundleRules.violations(BundleConfig.read(bundle)))
                .anyMatch(v -> v.contains("on /etc/hosts"))
                .anyMatch(v -> v.contains("ipc namespace joined at /proc/4242/ns/ipc"));
    }

    @Test
    void refusesAHostBindMountBesideTheSandboxFiles() throws Exception {
        edit(c -> c.withArray("mounts")
                .addObject()
                .put("destination", "/host-etc")
                .put("source", "/etc")
                .put("type", "bind")
                .putArray("options")
                .add("rbind"));
        assertThat(violations(new PodSandbox(SANDBOX, PAUSE)))
                .singleElement()
                .asString()
                .contains("mount of /etc (bind) on /host-etc");
    }

    @Test
    void refusesACapabilityAddedToTheContainer() throws Exception {
        edit(c -> c.with("process").with("capabilities").withArray("effective").add("CAP_SYS_ADMIN"));
        assertThat(violations(new PodSandbox(SANDBOX, PAUSE)))
                .singleElement()
                .asString()
                .contains("CAP_SYS_ADMIN in process.capabilities.effective");
    }

    @Test
    void refusesASandboxFileThatLinksOutOfTheSandbox() throws Exception {
        Path hosts = containerd.resolve("root/io.containerd.grpc.v1.cri/sandboxes/" + SANDBOX + "/hosts");
        Files.delete(hosts);
        Files.createSymbolicLink(hosts, Path.of("/etc/shadow"));
        assertThat(violations(new PodSandbox(SANDBOX, PAUSE)))
                .singleElement()
                .asString()
                .contains(hosts + " (bind) on /etc/hosts");
    }

    @Test
    void refusesTheFilesOfAnotherSandbox() {
        assertThat(violations(new PodSandbox("0".repeat(64), PAUSE))).hasSize(4);
    }

    @Test
    void refusesNamespacesOfAProcessOtherThanTheSandboxs() {
        assertThat(violations(new PodSandbox(SANDBOX, PAUSE + 1)))
                .containsExactlyInAnyOrder(
                        "ipc namespace joined at /proc/4242/ns/ipc: not the pod sandbox's",
                        "uts namespace joined at /proc/4242/ns/uts: not the pod sandbox's",
                        "network namespace joined at /proc/4242/ns/net: not the pod sandbox's");
    }

    private List<String> violations(PodSandbox sandbox) {
        return MigrationBundleRules.violations(BundleConfig.read(bundle), sandbox);
    }

    private void edit(Consumer<ObjectNode> change) throws Exception {
        ObjectNode config =
                (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        change.accept(config);
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);
    }
}
