package dev.kompact.agent.transfer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free bytes and inodes of the filesystem a path is on, as an unprivileged process may use them (statvfs(3)'s
 * f_bavail and f_favail): Java reports the bytes but not the inodes, and an image of many small files fills the
 * inode table long before the disk.
 */
record DiskSpace(long freeBytes, long freeInodes) {
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        /** struct statvfs on 64-bit Linux: eleven unsigned longs, then six ints of padding. */
        int statvfs(String path, long[] buf);
    }

    private static final int F_FRSIZE = 1;
    private static final int F_BAVAIL = 4;
    private static final int F_FAVAIL = 7;

    /** Of the filesystem that holds {@code path}, or would once it is created. */
    static DiskSpace of(Path path) {
        Path existing = path.toAbsolutePath();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        long[] buf = new long[14];
        if (LibC.INSTANCE.statvfs(existing.toString(), buf) != 0) {
            throw new IllegalStateException("statvfs " + existing + " failed: errno " + Native.getLastError());
        }
        return new DiskSpace(buf[F_BAVAIL] * buf[F_FRSIZE], buf[F_FAVAIL]);
    }
}
