package dev.kompact.agent.transfer;

import com.google.protobuf.ByteString;
import dev.kompact.agent.v1.EntryType;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageEntry;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes one incoming image stream under its roots, trusting nothing in it: every path must be relative, stay inside
 * its root (also through symlinks already written), and the bytes must stay within the declared total and the
 * node's bound. The header has been read by the caller, which checked the migration it names.
 */
public final class ImageReceiver {
    private static final String ROOTFS = "bundle/rootfs/";
    private static final Pattern PARENT_LINK = Pattern.compile("(checkpoint|pre-[0-9]+)/parent");
    private static final Pattern PRE_ROUND = Pattern.compile("\\.\\./pre-[0-9]+");
    /** Free inodes are checked every this many entries, and must be at least this many. */
    private static final int INODE_CHECK = 64;

    private final Map<String, Path> roots;
    private final long maxBytes;
    private final long declaredBytes;
    private final long maxEntries;
    private long received;
    private long entries;
    private Path currentFile;
    private FileChannel currentOut;
    private long currentRemaining;

    /**
     * @param roots where each top-level name of the stream goes, e.g. "checkpoint" and "bundle"; created here, once
     *     the declared bytes fit the free space there
     * @param maxEntries how many files, directories and links the stream may create
     */
    public ImageReceiver(Map<String, Path> roots, long declaredBytes, long maxBytes, long maxEntries) {
        if (declaredBytes < 0) {
            throw reject("total_bytes " + declaredBytes + " is negative");
        }
        if (declaredBytes > maxBytes) {
            throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image of " + declaredBytes
                    + " bytes exceeds this node's bound of " + maxBytes + " bytes (agent flag --max-image-bytes)"));
        }
        for (Path root : roots.values()) {
            long free = DiskSpace.of(root).freeBytes();
            if (declaredBytes > free) {
                throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image of " + declaredBytes
                        + " bytes does not fit: the filesystem of " + root + " has " + free + " bytes free"));
            }
        }
        this.roots = Map.copyOf(roots);
        this.maxBytes = maxBytes;
        this.declaredBytes = declaredBytes;
        this.maxEntries = maxEntries;
        try {
            for (Path root : roots.values()) {
                Files.createDirectories(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create image directory: " + e.getMessage(), e);
        }
    }

    public void accept(ImageChunk chunk) {
        try {
            switch (chunk.getPartCase()) {
                case ENTRY -> entry(chunk.getEntry());
                case BATCH -> {
                    for (ImageEntry entry : chunk.getBatch().getEntriesList()) {
                        if (entry.getType() == EntryType.FILE
                                && entry.getSize() != entry.getData().size()) {
                            throw reject("file " + entry.getPath() + " inside a batch carries "
                                    + entry.getData().size() + " bytes, its entry declares " + entry.getSize());
                        }
                        entry(entry);
                        if (entry.getSize() > 0) {
                            data(entry.getData());
                        }
                    }
                }
                case DATA -> data(chunk.getData());
                default -> throw reject("unexpected " + chunk.getPartCase() + " in the middle of an image stream");
            }
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("cannot write received image: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the stream ended on a file boundary; returns the bytes received, at most the header's figure (a file
     * that shrank or vanished on the source while it was read makes it less).
     */
    public long finish() {
        if (currentOut != null && currentRemaining > 0) {
            closeQuietly();
            throw reject("image stream ended " + currentRemaining + " bytes short of " + currentFile.getFileName());
        }
        closeQuietly();
        return received;
    }

    /** Closes what is open; the caller deletes the roots. */
    public void abandon() {
        closeQuietly();
    }

    private void entry(ImageEntry entry) throws IOException {
        if (currentRemaining > 0) {
            throw reject("entry " + entry.getPath() + " started while " + currentFile.getFileName() + " still expects "
                    + currentRemaining + " bytes");
        }
        closeQuietly();
        Path target = resolve(entry.getPath());
        countEntry(target);
        switch (entry.getType()) {
            case DIRECTORY -> {
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, permissions(entry.getMode()));
            }
            case SYMLINK -> {
                if (entry.getLinkTarget().isEmpty()) {
                    throw reject("symlink " + entry.getPath() + " has no target");
                }
                checkLink(entry.getPath(), entry.getLinkTarget());
                Files.createSymbolicLink(target, Path.of(entry.getLinkTarget()));
            }
            case FILE -> {
                if (entry.getSize() < 0) {
                    throw reject("file " + entry.getPath() + " declares a negative size");
                }
                if (received + entry.getSize() > Math.min(declaredBytes, maxBytes)) {
                    throw tooBig(received + entry.getSize());
                }
                currentFile = target;
                currentRemaining = entry.getSize();
                currentOut = FileChannel.open(
                        target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(target, permissions(entry.getMode()));
            }
            default -> throw reject("entry " + entry.getPath() + " has no known type");
        }
    }

    /**
     * Which links a migration may carry, since this root agent and CRIU may later follow them: inside the bundle's
     * rootfs, absolute links (the container resolves them under its own root) and relative ones that stay in rootfs;
     * elsewhere only a CRIU image's parent link to the previous pre-copy round.
     */
    private static void checkLink(String name, String linkTarget) {
        if (linkTarget.contains("\0")) {
            throw reject("symlink " + name + " has a NUL in its target");
        }
        if (name.startsWith(ROOTFS)) {
            Path inRootfs = Path.of(name.substring(ROOTFS.length())).getParent();
            Path resolved = (inRootfs == null ? Path.of("") : inRootfs)
                    .resolve(linkTarget)
                    .normalize();
            if (linkTarget.startsWith("/") || !resolved.startsWith("..")) {
                return;
            }
        } else if (PARENT_LINK.matcher(name).matches()
                && PRE_ROUND.matcher(linkTarget).matches()) {
            return;
        }
        throw reject("symlink " + name + " -> " + linkTarget + " leaves the container's rootfs, or is not a CRIU parent"
                + " link to '../pre-N'");
    }

    /** The declared bytes fit the disk; entries are bounded apart, and the inodes they take checked as they come. */
    private void countEntry(Path target) {
        if (++entries > maxEntries) {
            throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image has more than "
                    + maxEntries + " files, directories and links, this node's bound (agent flag"
                    + " --max-image-entries)"));
        }
        if (entries % INODE_CHECK == 1) {
            long free = DiskSpace.of(target).freeInodes();
            if (free < INODE_CHECK) {
                throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image does not fit:"
                        + " the filesystem of " + target.getParent() + " has " + free + " inodes free after "
                        + (entries - 1) + " entries"));
            }
        }
    }

    /** Written from the chunk's own buffers: a copy into an array first would cost as much as the write. */
    private void data(ByteString bytes) throws IOException {
        if (currentOut == null) {
            throw reject("data outside a file entry");
        }
        if (bytes.size() > currentRemaining) {
            throw reject(currentFile.getFileName() + " received more bytes than its entry declared");
        }
        received += bytes.size();
        currentRemaining -= bytes.size();
        for (ByteBuffer buffer : bytes.asReadOnlyByteBufferList()) {
            while (buffer.hasRemaining()) {
                currentOut.write(buffer);
            }
        }
    }

    /** Maps "root/rel/path" onto its root, refusing anything that could land outside it. */
    private Path resolve(String name) throws IOException {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
            throw reject("image path '" + name + "' is not a relative path");
        }
        String[] parts = name.split("/", 2);
        Path root = roots.get(parts[0]);
        if (root == null || parts.length < 2) {
            throw reject("image path '" + name + "' is not under one of " + roots.keySet());
        }
        for (String segment : parts[1].split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw reject("image path '" + name + "' has an empty, '.' or '..' segment");
            }
        }
        Path target = root.resolve(parts[1]).normalize();
        Path parent = target.getParent();
        // a symlink received earlier must not carry later entries out of the root
        if (!target.startsWith(root)
                || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)
                || !parent.toRealPath().startsWith(root.toRealPath())) {
            throw reject("image path '" + name + "' leaves its directory or has no directory entry before it");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw reject("image path '" + name + "' appears twice");
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private ImageRejectedException tooBig(long bytes) {
        return new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image grows to " + bytes
                + " bytes, beyond its declared " + declaredBytes + " or this node's bound of " + maxBytes
                + " bytes (agent flag --max-image-bytes)"));
    }

    private static ImageRejectedException reject(String why) {
        return new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription("corrupt image: " + why));
    }

    private void closeQuietly() {
        if (currentOut != null) {
            try {
                currentOut.close();
            } catch (IOException ignored) {
                // the file is deleted with its root
            }
            currentOut = null;
        }
    }
}
