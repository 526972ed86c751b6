package dev.kompact.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSnapshotTest {
    @TempDir
    Path bundle;

    @BeforeEach
    void rootfs() throws Exception {
        Files.createDirectories(bundle.resolve("rootfs/etc"));
        Files.writeString(bundle.resolve("rootfs/etc/hostname"), "pod");
        Files.writeString(bundle.resolve("config.json"), "{}");
    }

    @Test
    void sameWhenOnlyRead() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Files.readString(bundle.resolve("rootfs/etc/hostname"));

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle))).isEmpty();
    }

    @Test
    void changedWhenAFileIsRewrittenWithTheSameSize() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Files.writeString(bundle.resolve("rootfs/etc/hostname"), "new");

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle)))
                .hasValueSatisfying(d -> assertThat(d).startsWith("changed rootfs/etc/hostname"));
    }

    @Test
    void changedWhenAFileIsCreated() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Files.writeString(bundle.resolve("rootfs/etc/motd"), "");

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle))).hasValue("created rootfs/etc/motd");
    }

    @Test
    void changedWhenAFileIsRemoved() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Files.delete(bundle.resolve("rootfs/etc/hostname"));

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle)))
                .hasValueSatisfying(d -> assertThat(d).startsWith("removed rootfs/etc/hostname"));
    }

    @Test
    void changedWhenOnlyPermissionsChange() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Files.setPosixFilePermissions(bundle.resolve("config.json"), PosixFilePermissions.fromString("r--------"));

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle)))
                .hasValueSatisfying(d -> assertThat(d).startsWith("changed config.json"));
    }

    @Test
    void sameWhenAnEntryCameAndWentAgain() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Files.delete(Files.createDirectory(bundle.resolve("rootfs/.criu-tmp")));

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle))).isEmpty();
    }

    @Test
    void changedWhenTwoFilesSwapTheirNames() throws Exception {
        Files.writeString(bundle.resolve("rootfs/etc/hosts"), "pod");
        TreeSnapshot before = TreeSnapshot.of(bundle);
        Path etc = bundle.resolve("rootfs/etc");
        Files.move(etc.resolve("hosts"), etc.resolve("swap"));
        Files.move(etc.resolve("hostname"), etc.resolve("hosts"));
        Files.move(etc.resolve("swap"), etc.resolve("hostname"));

        assertThat(before.differenceFrom(TreeSnapshot.of(bundle))).isPresent();
    }
}
