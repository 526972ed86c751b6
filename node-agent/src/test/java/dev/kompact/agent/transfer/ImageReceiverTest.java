package dev.kompact.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.kompact.agent.v1.EntryBatch;
import dev.kompact.agent.v1.EntryType;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageEntry;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReceiverTest {
    @TempDir
    Path dir;

    @Test
    void receivesWhatTheSenderSentWithModesAndLinks() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/rootfs/sub"));
        Files.write(source.resolve("pages.img"), new byte[700_000]);
        Files.writeString(dir.resolve("src/config.json"), "{}");
        Files.createSymbolicLink(source.resolve("link"), Path.of("/bin/busybox"));
        Files.setPosixFilePermissions(
                source.resolve("pages.img"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        List<ImageChunk> chunks = new ArrayList<>();
        long sent = new ImageSender("m", Map.of("bundle", dir.resolve("src")), new TransferRate(0)).send(chunks::add);

        Path target = dir.resolve("dst");
        ImageReceiver receiver = new ImageReceiver(
                Map.of("bundle", target), chunks.get(0).getHeader().getTotalBytes(), 1 << 20, 1_000_000);
        chunks.subList(1, chunks.size()).forEach(receiver::accept);

        assertThat(receiver.finish()).isEqualTo(sent).isEqualTo(700_002);
        assertThat(target.resolve("rootfs/sub/pages.img")).hasSize(700_000);
        assertThat(Files.getPosixFilePermissions(target.resolve("rootfs/sub/pages.img")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(Files.readSymbolicLink(target.resolve("rootfs/sub/link"))).isEqualTo(Path.of("/bin/busybox"));
    }

    @Test
    void rejectsParentSegments() {
        ImageReceiver receiver = receiver(10);
        assertRejected(
                () -> receiver.accept(file("checkpoint/../../etc/passwd", 1)), Status.Code.INVALID_ARGUMENT, "'..'");
    }

    @Test
    void rejectsAbsolutePaths() {
        ImageReceiver receiver = receiver(10);
        assertRejected(() -> receiver.accept(file("/etc/passwd", 1)), Status.Code.INVALID_ARGUMENT, "not a relative");
    }

    @Test
    void rejectsWritingThroughAReceivedSymlink() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        ImageReceiver receiver = new ImageReceiver(Map.of("bundle", dir.resolve("b")), 10, 1 << 20, 1_000_000);
        receiver.accept(directory("bundle/rootfs"));
        receiver.accept(link("bundle/rootfs/evil", outside.toString()));

        assertRejected(
                () -> receiver.accept(file("bundle/rootfs/evil/x", 1)),
                Status.Code.INVALID_ARGUMENT,
                "leaves its directory");
        assertThat(outside).isEmptyDirectory();
    }

    /** This agent reads and rewrites config.json as root, and CRIU reads the image directory: neither may be a link. */
    @Test
    void rejectsSymlinksOutsideTheRootfsButTheCheckpointsParent() {
        ImageReceiver receiver = new ImageReceiver(
                Map.of("bundle", dir.resolve("b"), "checkpoint", dir.resolve("c")), 10, 1 << 20, 1_000_000);
        assertRejected(
                () -> receiver.accept(link("bundle/config.json", "/etc/shadow")),
                Status.Code.INVALID_ARGUMENT,
                "leaves the container's rootfs");
        assertRejected(
                () -> receiver.accept(link("checkpoint/pages-1.img", "/proc/kcore")),
                Status.Code.INVALID_ARGUMENT,
                "leaves the container's rootfs");
        assertRejected(
                () -> receiver.accept(link("checkpoint/parent", "../../../etc")),
                Status.Code.INVALID_ARGUMENT,
                "'../pre-N'");
        receiver.accept(link("checkpoint/parent", "../pre-2"));
        assertThat(dir.resolve("b/config.json")).doesNotExist();
    }

    @Test
    void rejectsARelativeRootfsSymlinkThatClimbsOutOfIt() {
        ImageReceiver receiver = new ImageReceiver(Map.of("bundle", dir.resolve("b")), 10, 1 << 20, 1_000_000);
        receiver.accept(directory("bundle/rootfs"));
        receiver.accept(directory("bundle/rootfs/etc"));
        receiver.accept(link("bundle/rootfs/etc/localtime", "../usr/share/zoneinfo/UTC"));
        receiver.accept(link("bundle/rootfs/bin", "/usr/bin"));
        assertRejected(
                () -> receiver.accept(link("bundle/rootfs/etc/escape", "../../config.json")),
                Status.Code.INVALID_ARGUMENT,
                "leaves the container's rootfs");
    }

    private static ImageChunk link(String path, String target) {
        return ImageChunk.newBuilder()
                .setEntry(ImageEntry.newBuilder()
                        .setPath(path)
                        .setType(EntryType.SYMLINK)
                        .setLinkTarget(target))
                .build();
    }

    private static ImageChunk directory(String path) {
        return ImageChunk.newBuilder()
                .setEntry(ImageEntry.newBuilder()
                        .setPath(path)
                        .setType(EntryType.DIRECTORY)
                        .setMode(0755))
                .build();
    }

    @Test
    void rejectsANegativeDeclaredSize() {
        assertRejected(() -> receiver(-1), Status.Code.INVALID_ARGUMENT, "negative");
    }

    @Test
    void rejectsDeclaredSizeAboveTheNodesBound() {
        assertRejected(
                () -> new ImageReceiver(Map.of("checkpoint", dir.resolve("c")), 2048, 1024, 1_000_000),
                Status.Code.RESOURCE_EXHAUSTED,
                "--max-image-bytes");
    }

    @Test
    void rejectsMoreEntriesThanTheNodesBound() {
        ImageReceiver receiver = new ImageReceiver(Map.of("checkpoint", dir.resolve("c")), 0, 1 << 20, 3);
        for (int i = 0; i < 3; i++) {
            receiver.accept(directory("checkpoint/d" + i));
        }
        assertRejected(
                () -> receiver.accept(directory("checkpoint/d3")),
                Status.Code.RESOURCE_EXHAUSTED,
                "--max-image-entries");
    }

    /** A tmpfs of 1 MiB (root mounts it): the declared bytes are checked before anything is created. */
    @Test
    void rejectsAnImageLargerThanItsFilesystemsFreeSpaceBeforeCreatingAnything() throws Exception {
        Path small = mountTmpfs("size=1m");
        try {
            assertRejected(
                    () -> new ImageReceiver(Map.of("checkpoint", small.resolve("incoming/m")), 4 << 20, 1 << 30, 1000),
                    Status.Code.RESOURCE_EXHAUSTED,
                    "bytes free");
            assertThat(small.resolve("incoming")).doesNotExist();
        } finally {
            unmount(small);
        }
    }

    /** A tmpfs with 100 inodes: an image of many empty files is refused with why, not ENOSPC half-way. */
    @Test
    void rejectsEntriesOnceItsFilesystemRunsOutOfInodes() throws Exception {
        Path small = mountTmpfs("size=1m,nr_inodes=100");
        try {
            ImageReceiver receiver = new ImageReceiver(Map.of("checkpoint", small.resolve("c")), 0, 1 << 20, 1000);
            assertRejected(
                    () -> {
                        for (int i = 0; i < 200; i++) {
                            receiver.accept(directory("checkpoint/d" + i));
                        }
                    },
                    Status.Code.RESOURCE_EXHAUSTED,
                    "inodes free");
        } finally {
            unmount(small);
        }
    }

    private Path mountTmpfs(String options) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path mount = Files.createDirectories(dir.resolve("small"));
        dev.kompact.agent.runtime.Commands.check(
                java.time.Duration.ofSeconds(10), "mount", "-t", "tmpfs", "-o", options, "kt-test", mount.toString());
        return mount;
    }

    private static void unmount(Path mount) {
        dev.kompact.agent.runtime.Commands.run(java.time.Duration.ofSeconds(10), "umount", mount.toString());
    }

    @Test
    void rejectsMoreBytesThanDeclared() {
        ImageReceiver receiver = receiver(4);
        assertRejected(() -> receiver.accept(file("checkpoint/a", 8)), Status.Code.RESOURCE_EXHAUSTED, "declared 4");
    }

    @Test
    void rejectsStreamEndingInsideAFile() {
        ImageReceiver receiver = receiver(4);
        receiver.accept(file("checkpoint/a", 4));
        receiver.accept(
                ImageChunk.newBuilder().setData(ByteString.copyFromUtf8("ab")).build());
        assertRejected(receiver::finish, Status.Code.INVALID_ARGUMENT, "2 bytes short");
    }

    @Test
    void rejectsASmallFileWhoseInlineBytesDifferFromItsSize() {
        ImageReceiver receiver = receiver(10);
        ImageChunk batch = ImageChunk.newBuilder()
                .setBatch(EntryBatch.newBuilder()
                        .addEntries(ImageEntry.newBuilder()
                                .setPath("checkpoint/core-1.img")
                                .setType(EntryType.FILE)
                                .setSize(4)
                                .setMode(0644)
                                .setData(ByteString.copyFromUtf8("ab"))))
                .build();

        assertRejected(
                () -> receiver.accept(batch), Status.Code.INVALID_ARGUMENT, "carries 2 bytes, its entry declares 4");
    }

    @Test
    void sendsSmallFilesInsideOneBatch() throws Exception {
        Path source = Files.createDirectories(dir.resolve("img"));
        for (int i = 0; i < 40; i++) {
            Files.write(source.resolve("core-" + i + ".img"), new byte[100 + i]);
        }
        List<ImageChunk> chunks = new ArrayList<>();
        new ImageSender("m", Map.of("checkpoint", source), new TransferRate(0)).send(chunks::add);

        assertThat(chunks).as("a header and one batch").hasSize(2);
        ImageReceiver receiver = new ImageReceiver(
                Map.of("checkpoint", dir.resolve("c")),
                chunks.get(0).getHeader().getTotalBytes(),
                1 << 20,
                1_000_000);
        receiver.accept(chunks.get(1));
        assertThat(receiver.finish()).isEqualTo(40 * 100 + 39 * 40 / 2);
        assertThat(dir.resolve("c/core-39.img")).hasSize(139);
    }

    private ImageReceiver receiver(long declared) {
        return new ImageReceiver(Map.of("checkpoint", dir.resolve("c")), declared, 1 << 20, 1_000_000);
    }

    private static ImageChunk file(String path, long size) {
        return ImageChunk.newBuilder()
                .setEntry(ImageEntry.newBuilder()
                        .setPath(path)
                        .setType(EntryType.FILE)
                        .setSize(size)
                        .setMode(0644))
                .build();
    }

    private static void assertRejected(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code, String why) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ImageRejectedException.class, e -> {
            assertThat(e.status().getCode()).isEqualTo(code);
            assertThat(e.status().getDescription()).contains(why);
        });
    }
}
