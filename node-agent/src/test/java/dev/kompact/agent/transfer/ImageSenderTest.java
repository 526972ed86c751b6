package dev.kompact.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.v1.EntryType;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSenderTest {
    @TempDir
    Path dir;

    /** A running pod writes to its rootfs while its bundle goes to the target ahead of the freeze. */
    @Test
    void aTreeChangingWhileItIsSentStillMakesAStreamTheTargetAccepts() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("bundle/rootfs"));
        Files.writeString(rootfs.resolve("log"), "one\n");
        Files.write(rootfs.resolve("grown"), new byte[200_000]);
        Files.write(rootfs.resolve("shrunk"), new byte[200_000]);
        Files.writeString(rootfs.resolve("gone"), "bye");
        List<ImageChunk> chunks = new ArrayList<>();

        long sent = new ImageSender("m-1", Map.of("bundle", dir.resolve("bundle")), new TransferRate(0)).send(chunk -> {
            if (chunk.hasHeader()) {
                change(() -> {
                    Files.writeString(rootfs.resolve("log"), "two\n", StandardOpenOption.APPEND);
                    Files.write(rootfs.resolve("grown"), new byte[100_000], StandardOpenOption.APPEND);
                    Files.write(rootfs.resolve("shrunk"), new byte[50_000]);
                    Files.delete(rootfs.resolve("gone"));
                });
            }
            chunks.add(chunk);
        });

        long declared = chunks.get(0).getHeader().getTotalBytes();
        ImageReceiver receiver = new ImageReceiver(Map.of("bundle", dir.resolve("copy")), declared, 1 << 30, 1_000_000);
        chunks.stream().skip(1).forEach(receiver::accept);
        assertThat(receiver.finish()).isLessThanOrEqualTo(declared);
        assertThat(dir.resolve("copy/rootfs/log"))
                .as("cut to its size in the header")
                .hasContent("one");
        assertThat(Files.size(dir.resolve("copy/rootfs/grown"))).isEqualTo(200_000);
        assertThat(Files.size(dir.resolve("copy/rootfs/shrunk"))).isEqualTo(50_000);
        assertThat(dir.resolve("copy/rootfs/gone")).doesNotExist();
        assertThat(sent).isEqualTo(declared);
    }

    /**
     * A pod swaps a directory of its rootfs for a link to a host directory between the agent's listing and its reads:
     * the agent reads as root, so following that link would copy the host's file into the image the pod gets back.
     */
    @Test
    void neverReadsAHostFileThroughADirectorySwappedForALinkWhileTheTreeIsSent() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        Files.writeString(host.resolve("shadow"), "host secret");
        Path rootfs = Files.createDirectories(dir.resolve("bundle/rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/shadow"), "the pod's own");
        List<ImageChunk> chunks = new ArrayList<>();

        new ImageSender("m-1", Map.of("bundle", dir.resolve("bundle")), new TransferRate(0)).send(chunk -> {
            if (chunk.hasHeader()) {
                change(() -> {
                    Files.delete(rootfs.resolve("etc/shadow"));
                    Files.delete(rootfs.resolve("etc"));
                    Files.createSymbolicLink(rootfs.resolve("etc"), host);
                });
            }
            chunks.add(chunk);
        });

        List<ImageEntry> entries = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        for (ImageChunk chunk : chunks) {
            chunk.getBatch().getEntriesList().forEach(entries::add);
            if (chunk.hasEntry()) {
                entries.add(chunk.getEntry());
            }
            data.append(chunk.getData().toStringUtf8());
        }
        entries.forEach(e -> data.append(e.getData().toStringUtf8()));
        assertThat(data.toString()).doesNotContain("host secret");
        assertThat(entries)
                .filteredOn(e -> e.getPath().equals("bundle/rootfs/etc"))
                .singleElement()
                .as("sent as what it is now: a link, which the target checks")
                .satisfies(e -> assertThat(e.getType()).isEqualTo(EntryType.SYMLINK));
    }

    private interface Change {
        void run() throws IOException;
    }

    private static void change(Change change) {
        try {
            change.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
