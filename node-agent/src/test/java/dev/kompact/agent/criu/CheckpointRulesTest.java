package dev.kompact.agent.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.testing.CheckpointedContainer;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of a received checkpoint against its bundle, on a real CRIU dump of a runc container (pid 1 in its own
 * namespaces, runc's default three capabilities) and on copies of it rewritten as a compromised source would.
 */
@Tag("criu")
class CheckpointRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Optional<String> missing = HostTools.liveMigrationMissing();

    @TempDir
    static Path workDir;

    static Path dumped;

    @TempDir
    Path copy;

    Path images;
    Path bundle;

    @BeforeAll
    static void dumpAContainer() throws Exception {
        if (missing.isEmpty()) {
            dumped = CheckpointedContainer.dump(workDir, "rules");
        }
    }

    @AfterAll
    static void release() {
        TestRun.release();
    }

    @BeforeEach
    void copyOfTheDump() throws Exception {
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        images = Files.createDirectories(copy.resolve("checkpoint"));
        try (Stream<Path> files = Files.list(dumped.resolve("checkpoint"))) {
            for (Path file : files.toList()) {
                Files.copy(file, images.resolve(file.getFileName()));
            }
        }
        bundle = Files.createDirectories(copy.resolve("bundle"));
        Files.copy(dumped.resolve("bundle/config.json"), bundle.resolve("config.json"));
    }

    @Test
    void acceptsTheCheckpointOfAContainerHeldToItsOwnConfig() {
        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .isEmpty();
    }

    @Test
    void refusesAThreadGivenACapabilityItsContainerNeverHad() {
        ForgedImages.raiseCapability(images, 1, ForgedImages.CAP_SYS_ADMIN);

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .containsExactly(
                        "core-1.img thread_core.creds.cap_bnd has CAP_SYS_ADMIN, beyond process.capabilities.bounding"
                                + " of config.json",
                        "core-1.img thread_core.creds.cap_eff has CAP_SYS_ADMIN, beyond"
                                + " process.capabilities.effective of config.json",
                        "core-1.img thread_core.creds.cap_prm has CAP_SYS_ADMIN, beyond"
                                + " process.capabilities.permitted of config.json");
    }

    /** The image is genuine but came from a container with more than the bundle sent along says. */
    @Test
    void refusesAnImageWithMoreCapabilitiesThanTheBundleItCameWith() throws Exception {
        ObjectNode config =
                (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        ArrayNode effective = config.with("process").with("capabilities").putArray("effective");
        effective.add("CAP_AUDIT_WRITE").add("CAP_NET_BIND_SERVICE");
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .containsExactly("core-1.img thread_core.creds.cap_eff has CAP_KILL, beyond"
                        + " process.capabilities.effective of config.json");
    }

    @Test
    void refusesATaskPutIntoTheDumpingCriusPidNamespace() {
        ForgedImages.shareTheDumpersPidNamespace(images, 1);

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .startsWith("ids-1.img pid_ns_id is the dumping CRIU's own (")
                .endsWith("the task would be restored into this node's namespace");
    }

    /** runc's container has its mount namespace in mountpoints-13.img: the id ids-1.img names. */
    @Test
    void refusesAMountOfTheNodesDiskThatCriuWouldMountAtRestore() {
        int namespace = CriuImageFile.IDS
                .readOne(images.resolve("ids-1.img"), dev.kompact.agent.criu.images.Core.task_kobj_ids_entry.parser())
                .getMntNsId();
        ForgedImages.mountTheNodesDisk(images, namespace, "/dev/vda", "/host");

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .containsExactly("mountpoints-" + namespace + ".img mount of /dev/vda (ext4) on /host: only kernel"
                        + " filesystems");
    }

    /** Its masked files as a container restored once holds them: binds of the node's /dev/null (devtmpfs). */
    @Test
    void acceptsMaskedFilesThatAnEarlierRestoreBoundToTheNodesDevNull() {
        BundleConfig config = BundleConfig.read(bundle);
        assertThat(ForgedImages.bindDevtmpfsOn(images, mountNamespace(), config.maskedPaths(), true))
                .as("runc's dump maps the masked files it finds as external mounts")
                .isPositive();

        assertThat(CheckpointRules.violations(images, config)).isEmpty();
    }

    /** Not external, CRIU would mount devtmpfs itself: every device node of the target's kernel. */
    @Test
    void refusesDevtmpfsOnAMaskedPathThatCriuWouldMountItself() {
        BundleConfig config = BundleConfig.read(bundle);
        ForgedImages.bindDevtmpfsOn(images, mountNamespace(), config.maskedPaths(), false);

        assertThat(CheckpointRules.violations(images, config))
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v).contains("(devtmpfs) on /proc/").endsWith(": only kernel filesystems"));
    }

    /** The bundle no longer masks the file: runc would map nothing there, so the image's devtmpfs is not let pass. */
    @Test
    void refusesDevtmpfsOnAPathTheBundleDoesNotMask() throws Exception {
        Set<String> masked = BundleConfig.read(bundle).maskedPaths();
        ForgedImages.bindDevtmpfsOn(images, mountNamespace(), masked, true);
        ObjectNode config =
                (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        config.with("linux").putArray("maskedPaths");
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v).contains("(devtmpfs) on /proc/"));
    }

    private int mountNamespace() {
        return CriuImageFile.IDS
                .readOne(images.resolve("ids-1.img"), dev.kompact.agent.criu.images.Core.task_kobj_ids_entry.parser())
                .getMntNsId();
    }

    @Test
    void refusesAThreadWithoutCredentialsWhichWouldKeepCriusRootOnes() {
        ForgedImages.core(
                images,
                1,
                core -> core.toBuilder()
                        .setThreadCore(core.getThreadCore().toBuilder().clearCreds())
                        .build());

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .containsExactly("core-1.img thread_core.creds missing: the thread would keep the restoring CRIU's"
                        + " root credentials");
    }

    @Test
    void refusesAThreadThatDroppedNoNewPrivilegesItsConfigSets() {
        assertThat(BundleConfig.read(bundle).noNewPrivileges())
                .as("runc's default")
                .isTrue();
        ForgedImages.core(
                images,
                1,
                core -> core.toBuilder()
                        .setThreadCore(core.getThreadCore().toBuilder()
                                .setCreds(core.getThreadCore().getCreds().toBuilder()
                                        .setNoNewPrivs(0)))
                        .build());

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .containsExactly(
                        "core-1.img thread_core.creds.no_new_privs is 0, but config.json sets process.noNewPrivileges");
    }

    @Test
    void refusesATaskWideSeccompModeOfTheOldFormat() {
        ForgedImages.core(
                images,
                1,
                core -> core.toBuilder()
                        .setTc(core.getTc().toBuilder()
                                .setOldSeccompMode(dev.kompact.agent.criu.images.Core.seccomp_mode.disabled))
                        .build());

        assertThat(CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .singleElement()
                .asString()
                .startsWith("core-1.img tc.old_seccomp_mode");
    }

    @Test
    void neverReadsAnImageFileThroughALink() throws Exception {
        Path elsewhere = Files.move(images.resolve("core-1.img"), copy.resolve("core-1.img"));
        Files.createSymbolicLink(images.resolve("core-1.img"), elsewhere);

        assertThatThrownBy(() -> CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("checkpoint file core-1.img: unreadable");
    }

    @Test
    void refusesAnEntryLongerThanItsFile() throws Exception {
        byte[] core = Files.readAllBytes(images.resolve("core-1.img"));
        core[8] = (byte) 0xff; // the first entry's length, after the two magics
        core[9] = (byte) 0xff;
        Files.write(images.resolve("core-1.img"), core);

        assertThatThrownBy(() -> CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpoint file core-1.img: entry 0 runs past the end of the file");
    }

    @Test
    void refusesAnImageWithoutItsInventory() throws Exception {
        Files.delete(images.resolve("inventory.img"));

        assertThatThrownBy(() -> CheckpointRules.violations(images, BundleConfig.read(bundle)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpoint file inventory.img: missing");
    }
}
