package dev.kompact.agent.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The identity of every entry of a directory tree (inode, size, mtime, ctime, mode), taken before the tree is sent
 * while a container may still write to it. Equal snapshots before the send and after the freeze mean the copy sent is
 * the tree as frozen: any write, rename, chmod, link or unlink changes the ctime of the file or of its directory,
 * and Linux 6.13+ multigrain timestamps give a change that follows a stat a newer ctime even within one clock tick.
 */
public final class TreeSnapshot {
  private static final String ATTRIBUTES = "unix:ino,size,lastModifiedTime,ctime,mode";

  private final Map<Path, Map<String, Object>> entries;

  private TreeSnapshot(Map<Path, Map<String, Object>> entries) {
    this.entries = entries;
  }

  public static TreeSnapshot of(Path root) {
    Map<Path, Map<String, Object>> entries = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        entries.put(root.relativize(path), Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
    }
    return new TreeSnapshot(entries);
  }

  /** True when nothing in the tree was created, removed or changed between the two snapshots. */
  public boolean sameAs(TreeSnapshot other) {
    return entries.equals(other.entries);
  }
}
