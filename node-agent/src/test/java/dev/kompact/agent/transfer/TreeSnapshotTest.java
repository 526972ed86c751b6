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

    assertThat(before.sameAs(TreeSnapshot.of(bundle))).isTrue();
  }

  @Test
  void changedWhenAFileIsRewrittenWithTheSameSize() throws Exception {
    TreeSnapshot before = TreeSnapshot.of(bundle);
    Files.writeString(bundle.resolve("rootfs/etc/hostname"), "new");

    assertThat(before.sameAs(TreeSnapshot.of(bundle))).isFalse();
  }

  @Test
  void changedWhenAFileIsCreated() throws Exception {
    TreeSnapshot before = TreeSnapshot.of(bundle);
    Files.writeString(bundle.resolve("rootfs/etc/motd"), "");

    assertThat(before.sameAs(TreeSnapshot.of(bundle))).isFalse();
  }

  @Test
  void changedWhenAFileIsRemoved() throws Exception {
    TreeSnapshot before = TreeSnapshot.of(bundle);
    Files.delete(bundle.resolve("rootfs/etc/hostname"));

    assertThat(before.sameAs(TreeSnapshot.of(bundle))).isFalse();
  }

  @Test
  void changedWhenOnlyPermissionsChange() throws Exception {
    TreeSnapshot before = TreeSnapshot.of(bundle);
    Files.setPosixFilePermissions(bundle.resolve("config.json"), PosixFilePermissions.fromString("r--------"));

    assertThat(before.sameAs(TreeSnapshot.of(bundle))).isFalse();
  }
}
