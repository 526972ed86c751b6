package dev.kompact.agent.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The identity of every entry of a directory tree (device and inode, mode, owner; for files and links also size, mtime
 * and ctime), taken before the tree is sent while a container may still write to it. Equal snapshots before the send and
 * after the freeze mean the copy sent is the tree as frozen: a write, chmod, chown or link changes a file's ctime, a
 * rename or unlink changes the set of paths or the inode behind one, and Linux 6.13+ multigrain timestamps give a
 * change that follows a stat a newer ctime even within one clock tick.
 */
public final class TreeSnapshot {
    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime,mode,uid,gid";
    private static final Set<String> DIRECTORY_TIMES = Set.of("lastModifiedTime", "ctime", "size");

    private final Map<Path, Map<String, Object>> entries;

    private TreeSnapshot(Map<Path, Map<String, Object>> entries) {
        this.entries = entries;
    }

    public static TreeSnapshot of(Path root) {
        Map<Path, Map<String, Object>> entries = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                Map<String, Object> attributes =
                        new HashMap<>(Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    // runc's checkpoint adds and removes an entry in the rootfs: a directory's times change with no
                    // change to what it holds, and every entry it holds is compared on its own; its identity stays
                    attributes.keySet().removeAll(DIRECTORY_TIMES);
                }
                entries.put(root.relativize(path), attributes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
        }
        return new TreeSnapshot(entries);
    }

    /** The first entry created, removed or changed between the two snapshots; empty when none was. */
    public Optional<String> differenceFrom(TreeSnapshot other) {
        for (var entry : entries.entrySet()) {
            if (!entry.getValue().equals(other.entries.get(entry.getKey()))) {
                return Optional.of((other.entries.containsKey(entry.getKey()) ? "changed " : "removed ")
                        + entry.getKey() + " " + entry.getValue() + " -> " + other.entries.get(entry.getKey()));
            }
        }
        return other.entries.keySet().stream()
                .filter(p -> !entries.containsKey(p))
                .findFirst()
                .map(p -> "created " + p);
    }
}
