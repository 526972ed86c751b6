package dev.kompact.agent.transfer;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The target's check of a pre-copy image before CRIU reads it: the final image and each pre-dump name their parent
 * through a "parent" symlink (CRIU's own), which CRIU follows on restore. Since the symlink came from the network, it
 * must be exactly ../pre-(N-1) from pre-N, down to pre-1 which has none, and the final image's must name the last
 * pre-dump received: no link can lead CRIU out of the migration's directory or to a missing or stale round.
 */
public final class ImageChain {
    static final String PARENT = "parent";

    private ImageChain() {}

    /**
     * @param dir holds "checkpoint" and "pre-1".."pre-{@code preDumps}"
     * @throws ImageRejectedException naming the broken link
     */
    public static void check(Path dir, int preDumps) {
        String image = "checkpoint";
        for (int round = preDumps; round >= 0; round--) {
            Path link = dir.resolve(image).resolve(PARENT);
            String expected = round == 0 ? null : "../pre-" + round;
            String actual = linkTarget(link, image);
            if (expected == null ? actual != null : !expected.equals(actual)) {
                throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription("corrupt image chain: " + image
                        + (actual == null ? " has no parent" : "'s parent is '" + actual + "'") + ", expected "
                        + (expected == null ? "none" : "'" + expected + "'") + " (" + preDumps
                        + " pre-dumps received)"));
            }
            image = "pre-" + round;
            if (round > 0 && !Files.isDirectory(dir.resolve(image), LinkOption.NOFOLLOW_LINKS)) {
                throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                        "corrupt image chain: " + image + " was never received"));
            }
        }
    }

    private static String linkTarget(Path link, String image) {
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isSymbolicLink(link)) {
            throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                    "corrupt image chain: " + image + "/" + PARENT + " is not a symlink"));
        }
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                    "corrupt image chain: " + image + "/" + PARENT + " unreadable: " + e.getMessage()));
        }
    }
}
