package dev.kompact.agent.transfer;

import com.google.protobuf.ByteString;
import dev.kompact.agent.v1.EntryBatch;
import dev.kompact.agent.v1.EntryType;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageEntry;
import dev.kompact.agent.v1.ImageHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Turns directories into the chunks of one image stream: a header, then each entry (parents first) and its data. */
public final class ImageSender {
  static final int CHUNK_BYTES = 256 * 1024;
  /** Files up to this size go inside a batch of entries: one message per file costs more than its bytes. */
  static final int INLINE_BYTES = 64 * 1024;

  private final String migrationId;
  private final Map<String, Path> roots;
  private final TransferRate rate;
  private long batchBytes;

  /** @param roots top-level stream name to directory, sent in this order */
  public ImageSender(String migrationId, Map<String, Path> roots, TransferRate rate) {
    this.migrationId = migrationId;
    this.roots = new LinkedHashMap<>(roots);
    this.rate = rate;
  }

  /** Sends everything to {@code out}, which may block for flow control; returns the file bytes sent. */
  public long send(Consumer<ImageChunk> out) {
    try {
      List<Item> items = new ArrayList<>();
      long total = 0;
      for (var root : roots.entrySet()) {
        try (Stream<Path> walk = Files.walk(root.getValue())) {
          for (Path path : walk.skip(1).toList()) {
            String name = root.getKey() + "/" + root.getValue().relativize(path).toString().replace('\\', '/');
            items.add(new Item(name, path));
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
              total += Files.size(path);
            }
          }
        }
      }
      out.accept(ImageChunk.newBuilder()
          .setHeader(ImageHeader.newBuilder().setMigrationId(migrationId).setTotalBytes(total)
              .addAllRoots(roots.keySet())).build());
      List<ImageEntry> batch = new ArrayList<>();
      for (Item item : items) {
        sendItem(item, out, batch);
      }
      flush(batch, out);
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint image to send: " + e.getMessage(), e);
    }
  }

  private void sendItem(Item item, Consumer<ImageChunk> out, List<ImageEntry> batch) throws IOException {
    Path path = item.path();
    ImageEntry.Builder entry = ImageEntry.newBuilder().setPath(item.name()).setMode(mode(path));
    if (Files.isSymbolicLink(path)) {
      batch.add(entry.setType(EntryType.SYMLINK).setLinkTarget(Files.readSymbolicLink(path).toString()).build());
    } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      batch.add(entry.setType(EntryType.DIRECTORY).build());
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) <= INLINE_BYTES) {
      byte[] data = Files.readAllBytes(path);
      rate.acquire(data.length);
      batch.add(entry.setType(EntryType.FILE).setSize(data.length).setData(ByteString.copyFrom(data)).build());
      batchBytes += data.length;
      if (batchBytes >= CHUNK_BYTES) {
        flush(batch, out);
      }
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      flush(batch, out);
      out.accept(chunk(entry.setType(EntryType.FILE).setSize(Files.size(path))));
      byte[] buffer = new byte[CHUNK_BYTES];
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        int n;
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
          rate.acquire(n);
          out.accept(ImageChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
        }
      }
    }
    // sockets, fifos and devices have no place in a checkpoint or a bundle: skipped
  }

  private void flush(List<ImageEntry> batch, Consumer<ImageChunk> out) {
    if (!batch.isEmpty()) {
      out.accept(ImageChunk.newBuilder().setBatch(EntryBatch.newBuilder().addAllEntries(batch)).build());
      batch.clear();
      batchBytes = 0;
    }
  }

  private static ImageChunk chunk(ImageEntry.Builder entry) {
    return ImageChunk.newBuilder().setEntry(entry).build();
  }

  private static int mode(Path path) throws IOException {
    if (Files.isSymbolicLink(path)) {
      return 0777;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  private record Item(String name, Path path) {}
}
