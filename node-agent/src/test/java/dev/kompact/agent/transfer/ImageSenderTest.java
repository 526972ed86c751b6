package dev.kompact.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.v1.ImageChunk;
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
        ImageReceiver receiver = new ImageReceiver(Map.of("bundle", dir.resolve("copy")), declared, 1 << 30);
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
