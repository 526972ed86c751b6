package dev.kompact.agent.transfer;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Set;

/**
 * Walks a tree that its owner may change while it is read (a running container's rootfs) without ever leaving it:
 * every directory and file is opened relative to its parent directory's open descriptor with O_NOFOLLOW
 * ({@link SecureDirectoryStream}, openat(2)), so a directory swapped for a link to a host directory fails to open
 * instead of being followed. Entries are visited parents first.
 */
final class BeneathRoot {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    interface Visitor {
        void directory(String path, PosixFileAttributes attributes) throws IOException;

        /** @param open the file as found in its directory, refusing a link put in its place since */
        void file(String path, PosixFileAttributes attributes, Opener open) throws IOException;

        void symlink(String path, String target) throws IOException;
    }

    interface Opener {
        SeekableByteChannel open() throws IOException;
    }

    private BeneathRoot() {}

    /** Visits every entry beneath {@code root} (not root itself), named relative to it with '/'. */
    static void walk(Path root, Visitor visitor) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                throw new IOException("this platform cannot read " + root + " relative to open directories (openat)");
            }
            walk(root, secure, "", visitor);
        }
    }

    private static void walk(Path root, SecureDirectoryStream<Path> dir, String prefix, Visitor visitor)
            throws IOException {
        for (Path entry : dir) {
            Path name = entry.getFileName();
            String path = prefix + name;
            PosixFileAttributes attributes;
            try {
                attributes = dir.getFileAttributeView(name, PosixFileAttributeView.class, NO_FOLLOW)
                        .readAttributes();
            } catch (IOException vanished) {
                continue; // removed since the directory was listed: the copy after the freeze has it right
            }
            if (attributes.isSymbolicLink()) {
                // no readlinkat in NIO: by path, so a swapped parent could show a host link's target text, never
                // a host file's content; the receiver checks where any link may point
                String target;
                try {
                    target = Files.readSymbolicLink(root.resolve(path)).toString();
                } catch (IOException vanished) {
                    continue;
                }
                visitor.symlink(path, target);
            } else if (attributes.isDirectory()) {
                visitor.directory(path, attributes);
                SecureDirectoryStream<Path> sub;
                try {
                    sub = dir.newDirectoryStream(name, NO_FOLLOW);
                } catch (IOException swapped) {
                    continue; // became a link or vanished: the comparison after the freeze sees it
                }
                try (sub) {
                    walk(root, sub, path + "/", visitor);
                }
            } else if (attributes.isRegularFile()) {
                visitor.file(
                        path,
                        attributes,
                        () -> dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
            }
            // sockets, fifos and devices have no place in a checkpoint or a bundle: skipped
        }
    }
}
