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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Turns directories into the chunks of one image stream: a header, then each entry (parents first) and its data.
 *
 * <p>A tree may change while it is read (a running pod writes to its rootfs while its bundle goes ahead of the
 * freeze): each file is sent as it is when read, cut to its size when the header was written so that the stream never
 * carries more than the header declared, and what has vanished is left out. Such a copy is not a snapshot, which is
 * why the migration compares the tree again once the pod is frozen and sends it again if it changed.
 */
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

    /** Sends everything to {@code out}, which may block for flow control; returns the file bytes the header declared. */
    public long send(Consumer<ImageChunk> out) {
        try {
            List<Item> items = new ArrayList<>();
            long total = 0;
            for (var root : roots.entrySet()) {
                try (Stream<Path> walk = Files.walk(root.getValue())) {
                    for (Path path : walk.skip(1).toList()) {
                        String name = root.getKey() + "/"
                                + root.getValue().relativize(path).toString().replace('\\', '/');
                        long size = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Files.size(path) : 0;
                        items.add(new Item(name, path, size));
                        total += size;
                    }
                }
            }
            out.accept(ImageChunk.newBuilder()
                    .setHeader(ImageHeader.newBuilder()
                            .setMigrationId(migrationId)
                            .setTotalBytes(total)
                            .addAllRoots(roots.keySet()))
                    .build());
            List<ImageEntry> batch = new ArrayList<>();
            for (Item item : items) {
                try {
                    sendItem(item, out, batch);
                } catch (NoSuchFileException vanished) {
                    // deleted since the walk: the tree changed, and the copy sent after the freeze has it right
                }
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
            batch.add(entry.setType(EntryType.SYMLINK)
                    .setLinkTarget(Files.readSymbolicLink(path).toString())
                    .build());
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            batch.add(entry.setType(EntryType.DIRECTORY).build());
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && item.size() <= INLINE_BYTES) {
            byte[] data = Files.readAllBytes(path);
            if (data.length > item.size()) {
                data = Arrays.copyOf(data, (int) item.size());
            }
            rate.acquire(data.length);
            batch.add(entry.setType(EntryType.FILE)
                    .setSize(data.length)
                    .setData(ByteString.copyFrom(data))
                    .build());
            batchBytes += data.length;
            if (batchBytes >= CHUNK_BYTES) {
                flush(batch, out);
            }
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            flush(batch, out);
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                long size = Math.min(Files.size(path), item.size());
                out.accept(chunk(entry.setType(EntryType.FILE).setSize(size)));
                byte[] buffer = new byte[CHUNK_BYTES];
                for (long left = size; left > 0; ) {
                    int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n == 0) {
                        // truncated since its size was read: zeros keep the stream whole until the copy after the
                        // freeze
                        n = (int) Math.min(buffer.length, left);
                        Arrays.fill(buffer, 0, n, (byte) 0);
                    }
                    rate.acquire(n);
                    out.accept(ImageChunk.newBuilder()
                            .setData(ByteString.copyFrom(buffer, 0, n))
                            .build());
                    left -= n;
                }
            }
        }
        // sockets, fifos and devices have no place in a checkpoint or a bundle: skipped
    }

    private void flush(List<ImageEntry> batch, Consumer<ImageChunk> out) {
        if (!batch.isEmpty()) {
            out.accept(ImageChunk.newBuilder()
                    .setBatch(EntryBatch.newBuilder().addAllEntries(batch))
                    .build());
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

    /** @param size a regular file's size when the header was written */
    private record Item(String name, Path path, long size) {}
}
