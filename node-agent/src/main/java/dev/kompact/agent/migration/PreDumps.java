package dev.kompact.agent.migration;

import dev.kompact.agent.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Pre-copy's rounds while the container runs: pre-N under the work directory, each a parent of the next, each
 * handed to {@code send} (streamed to the target) as soon as it is written. The final dump names the last one as
 * its parent, so the target restores from the chain.
 */
final class PreDumps {
    private PreDumps() {}

    static String name(int round) {
        return "pre-" + round;
    }

    /** The parent the final dump names after {@code rounds} pre-dumps, relative to the final image directory. */
    static Optional<Path> parentAfter(int rounds) {
        return rounds == 0 ? Optional.empty() : Optional.of(Path.of("..", name(rounds)));
    }

    /** Runs the rounds; returns how many. When this throws the container still runs here. */
    static int run(
            String containerId,
            Path workDir,
            ContainerRuntime runtime,
            PreCopyRounds rounds,
            BiConsumer<String, Path> send) {
        int round = 0;
        boolean another = true;
        while (another) {
            round++;
            Path dir = workDir.resolve(name(round));
            runtime.preDump(containerId, dir, workDir.resolve("work-" + name(round)), parentAfter(round - 1));
            send.accept(name(round), dir);
            another = rounds.another(pageBytes(dir));
        }
        return round;
    }

    /** The memory a dump wrote: CRIU's pages-N.img files (the rest of an image is small metadata). */
    static long pageBytes(Path imageDir) {
        try (Stream<Path> files = Files.list(imageDir)) {
            long total = 0;
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("pages-") && name.endsWith(".img")) {
                    total += Files.size(file);
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pre-dump " + imageDir + ": " + e.getMessage(), e);
        }
    }
}
