package dev.kompact.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.v1.ImageChunk;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain as CRIU leaves it on the source (parent symlinks), streamed round by round, then checked. */
class ImageChainTest {
    @TempDir
    Path dir;

    @Test
    void acceptsTheChainOfEveryRoundReceived() {
        Path target = receive(chain(2, "../pre-2"));

        assertThatCode(() -> ImageChain.check(target, 2)).doesNotThrowAnyException();
        assertThat(target.resolve("pre-2/pages-1.img")).exists();
    }

    @Test
    void acceptsAStopAndCopyImageWithoutParent() {
        Path target = receive(chain(0, null));

        assertThatCode(() -> ImageChain.check(target, 0)).doesNotThrowAnyException();
    }

    @Test
    void rejectsAFinalImageThatSkipsTheLastRound() {
        Path target = receive(chain(2, "../pre-1"));

        assertRejected(() -> ImageChain.check(target, 2), "checkpoint's parent is '../pre-1', expected '../pre-2'");
    }

    /** Refused as it arrives: CRIU would follow it. */
    @Test
    void rejectsAParentLeadingOutOfTheMigration() {
        Path source = chain(1, "/var/lib/other/pre-1");

        assertRejected(() -> receive(source), "is not a CRIU parent link to '../pre-N'");
    }

    @Test
    void rejectsAFinalImageThatIgnoresThePreDumps() {
        Path target = receive(chain(1, null));

        assertRejected(() -> ImageChain.check(target, 1), "checkpoint has no parent, expected '../pre-1'");
    }

    @Test
    void rejectsAFirstRoundWithAParent() throws Exception {
        Path source = chain(1, "../pre-1");
        Files.createSymbolicLink(source.resolve("pre-1/parent"), Path.of("../pre-0"));
        Path target = receive(source);

        assertRejected(() -> ImageChain.check(target, 1), "pre-1's parent is '../pre-0', expected none");
    }

    @Test
    void rejectsAParentThatIsNotASymlink() throws Exception {
        Path source = chain(0, null);
        Files.createDirectories(source.resolve("checkpoint/parent"));
        Path target = receive(source);

        assertRejected(() -> ImageChain.check(target, 0), "checkpoint/parent is not a symlink");
    }

    /** A source work directory after {@code rounds} pre-dumps and a final dump naming {@code parent}. */
    private Path chain(int rounds, String parent) {
        try {
            Path source = Files.createDirectories(dir.resolve("source"));
            for (int round = 1; round <= rounds; round++) {
                Path pre = Files.createDirectories(source.resolve("pre-" + round));
                Files.write(pre.resolve("pages-1.img"), new byte[4096 * (rounds - round + 1)]);
                if (round > 1) {
                    Files.createSymbolicLink(pre.resolve("parent"), Path.of("../pre-" + (round - 1)));
                }
            }
            Path image = Files.createDirectories(source.resolve("checkpoint"));
            Files.write(image.resolve("inventory.img"), new byte[64]);
            if (parent != null) {
                Files.createSymbolicLink(image.resolve("parent"), Path.of(parent));
            }
            return source;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Streams each round, then the final image, as the source agent does; returns the target's directory. */
    private Path receive(Path source) {
        Path target = dir.resolve("target");
        try (var rounds = Files.list(source)) {
            List<String> names = new ArrayList<>(
                    rounds.map(p -> p.getFileName().toString()).sorted().toList());
            names.remove("checkpoint");
            names.add("checkpoint");
            for (String name : names) {
                List<ImageChunk> chunks = new ArrayList<>();
                new ImageSender("m", Map.of(name, source.resolve(name)), new TransferRate(0)).send(chunks::add);
                assertThat(chunks.get(0).getHeader().getRootsList()).containsExactly(name);
                ImageReceiver receiver = new ImageReceiver(
                        Map.of(name, target.resolve(name)),
                        chunks.get(0).getHeader().getTotalBytes(),
                        1 << 20,
                        1_000_000);
                chunks.subList(1, chunks.size()).forEach(receiver::accept);
                receiver.finish();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return target;
    }

    private static void assertRejected(Runnable check, String message) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ImageRejectedException.class, e -> {
            assertThat(e.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
