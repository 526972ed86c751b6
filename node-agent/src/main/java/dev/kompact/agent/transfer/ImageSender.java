package dev.kompact.agent.transfer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.kompact.agent.v1.EntryBatch;
import dev.kompact.agent.v1.EntryType;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageEntry;
import dev.kompact.agent.v1.ImageHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns directories into the chunks of one image stream: a header, then each entry (parents first) and its data.
 *
 * <p>A tree may change while it is read (a running pod writes to its rootfs while its bundle goes ahead of the
 * freeze): each file is sent as it is when read, cut to its size when the header was written so that the stream never
 * carries more than the header declared, and what has vanished is left out. Such a copy is not a snapshot, which is
 * why the migration compares the tree again once the pod is frozen and sends it again if it changed. The tree is read
 * {@link BeneathRoot beneath its root}: whatever the pod swaps meanwhile, no file outside it is read.
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
            // first the sizes, for the header; then the entries, read again as they are by then
            Map<String, Map<String, Long>> sizes = new LinkedHashMap<>();
            long total = 0;
            for (var root : roots.entrySet()) {
                Map<String, Long> files = new HashMap<>();
                BeneathRoot.walk(root.getValue(), new BeneathRoot.Visitor() {
                    @Override
                    public void directory(String path, PosixFileAttributes attributes) {
                        files.put(path, 0L);
                    }

                    @Override
                    public void file(String path, PosixFileAttributes attributes, BeneathRoot.Opener open) {
                        files.put(path, attributes.size());
                    }

                    @Override
                    public void symlink(String path, String target) {
                        files.put(path, 0L);
                    }
                });
                total += files.values().stream().mapToLong(Long::longValue).sum();
                sizes.put(root.getKey(), files);
            }
            out.accept(ImageChunk.newBuilder()
                    .setHeader(ImageHeader.newBuilder()
                            .setMigrationId(migrationId)
                            .setTotalBytes(total)
                            .addAllRoots(roots.keySet()))
                    .build());
            List<ImageEntry> batch = new ArrayList<>();
            for (var root : roots.entrySet()) {
                BeneathRoot.walk(root.getValue(), new Entries(root.getKey(), sizes.get(root.getKey()), batch, out));
            }
            flush(batch, out);
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint image to send: " + e.getMessage(), e);
        }
    }

    /** The second walk: each entry the first one found, a file cut to its size then (created since: left out). */
    private final class Entries implements BeneathRoot.Visitor {
        private final String root;
        private final Map<String, Long> sizes;
        private final List<ImageEntry> batch;
        private final Consumer<ImageChunk> out;

        Entries(String root, Map<String, Long> sizes, List<ImageEntry> batch, Consumer<ImageChunk> out) {
            this.root = root;
            this.sizes = sizes;
            this.batch = batch;
            this.out = out;
        }

        private ImageEntry.Builder entry(String path, int mode) {
            return ImageEntry.newBuilder().setPath(root + "/" + path).setMode(mode);
        }

        @Override
        public void directory(String path, PosixFileAttributes attributes) {
            if (sizes.containsKey(path)) {
                batch.add(entry(path, mode(attributes))
                        .setType(EntryType.DIRECTORY)
                        .build());
            }
        }

        @Override
        public void symlink(String path, String target) {
            if (sizes.containsKey(path)) {
                batch.add(entry(path, 0777)
                        .setType(EntryType.SYMLINK)
                        .setLinkTarget(target)
                        .build());
            }
        }

        @Override
        public void file(String path, PosixFileAttributes attributes, BeneathRoot.Opener open) throws IOException {
            Long declared = sizes.get(path);
            if (declared == null) {
                return;
            }
            SeekableByteChannel channel;
            try {
                channel = open.open();
            } catch (IOException swapped) {
                return; // vanished, or a link now: the copy after the freeze has it right
            }
            try (InputStream in = Channels.newInputStream(channel)) {
                long size = Math.min(channel.size(), declared);
                ImageEntry.Builder entry = entry(path, mode(attributes)).setType(EntryType.FILE);
                if (size <= INLINE_BYTES) {
                    byte[] data = in.readNBytes((int) size);
                    rate.acquire(data.length);
                    batch.add(entry.setSize(data.length)
                            .setData(ByteString.copyFrom(data))
                            .build());
                    batchBytes += data.length;
                    if (batchBytes >= CHUNK_BYTES) {
                        flush(batch, out);
                    }
                    return;
                }
                flush(batch, out);
                out.accept(ImageChunk.newBuilder().setEntry(entry.setSize(size)).build());
                for (long left = size; left > 0; ) {
                    // a fresh array per chunk, handed to protobuf without a copy: gRPC serializes a message while
                    // onNext runs, but an array the message still holds must not change under it
                    byte[] buffer = new byte[(int) Math.min(CHUNK_BYTES, left)];
                    int n = in.readNBytes(buffer, 0, buffer.length);
                    if (n < buffer.length) {
                        // truncated since its size was read: zeros keep the stream whole until the copy after the
                        // freeze (the array is zeros beyond what was read)
                        n = buffer.length;
                    }
                    rate.acquire(n);
                    out.accept(ImageChunk.newBuilder()
                            .setData(UnsafeByteOperations.unsafeWrap(buffer))
                            .build());
                    left -= n;
                }
            }
        }
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

    private static int mode(PosixFileAttributes attributes) {
        int mode = 0;
        for (PosixFilePermission p : attributes.permissions()) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
