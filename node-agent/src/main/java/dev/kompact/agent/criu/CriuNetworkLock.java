package dev.kompact.agent.criu;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the network lock that a failed lazy dump leaves on a container it resumed.
 *
 * <p>CRIU unlocks the network when a dump fails, except when the failure comes from the lazy-pages transfer:
 * {@code cr_dump_finish} runs {@code network_unlock} before {@code cr_lazy_mem_dump}, so the tasks are resumed with
 * their TCP sockets still in repair mode (they send and receive nothing) and CRIU's nftables table still dropping
 * their packets. This does what {@code network_unlock} would have done: {@code TCP_REPAIR} off on every socket of the
 * container's processes (taken with pidfd_getfd, which shares the socket), then the table of that CRIU run deleted in
 * the pod's network namespace through libnftables (nodes need not have the nft binary).
 */
public final class CriuNetworkLock {
    private static final Logger log = LoggerFactory.getLogger(CriuNetworkLock.class);
    private static final long SYS_PIDFD_OPEN = 434;
    private static final long SYS_PIDFD_GETFD = 438;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_REPAIR = 19;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Pattern RUN_ID = Pattern.compile("CRIU run id = ([0-9a-f-]+)");
    private static final Pattern TABLE = Pattern.compile("table inet (CRIU-[0-9a-f-]+)");

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        NativeLong syscall(NativeLong number, Object... args);

        int setsockopt(int fd, int level, int name, IntByReference value, int length);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private interface LibNftables extends Library {
        Pointer nft_ctx_new(int flags);

        int nft_ctx_buffer_output(Pointer ctx);

        int nft_ctx_buffer_error(Pointer ctx);

        String nft_ctx_get_output_buffer(Pointer ctx);

        String nft_ctx_get_error_buffer(Pointer ctx);

        int nft_run_cmd_from_buffer(Pointer ctx, String command);

        void nft_ctx_free(Pointer ctx);
    }

    private CriuNetworkLock() {}

    /**
     * @param pids the container's processes
     * @param namespace the pod's network namespace, where CRIU locked the connections
     * @param dumpLog the failed dump's log, which names its run (and so its table); absent if no dump ran
     */
    public static void release(List<Long> pids, Path namespace, Path dumpLog) {
        int sockets = 0;
        for (long pid : pids) {
            sockets += repairOff(pid);
        }
        List<String> tables = deleteTables(namespace, runIds(dumpLog));
        log.info(
                "released CRIU's network lock: TCP repair off on {} sockets of {}, deleted {} in {}",
                sockets,
                pids,
                tables,
                namespace);
    }

    private static int repairOff(long pid) {
        LibC c = LibC.INSTANCE;
        int pidfd = c.syscall(new NativeLong(SYS_PIDFD_OPEN), (int) pid, 0).intValue();
        if (pidfd < 0) {
            throw new IllegalStateException("pidfd_open(" + pid + ") failed: errno " + Native.getLastError());
        }
        int count = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                if (!isSocket(fd)) {
                    continue;
                }
                int copy = c.syscall(
                                new NativeLong(SYS_PIDFD_GETFD),
                                pidfd,
                                Integer.parseInt(fd.getFileName().toString()),
                                0)
                        .intValue();
                if (copy < 0) {
                    throw new IllegalStateException("pidfd_getfd(" + pid + ", " + fd.getFileName() + ") failed: errno "
                            + Native.getLastError());
                }
                // non-TCP sockets answer ENOPROTOOPT and listening ones EPERM: only repaired connections change
                if (c.setsockopt(copy, IPPROTO_TCP, TCP_REPAIR, new IntByReference(0), 4) == 0) {
                    count++;
                }
                c.close(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the descriptors of process " + pid + ": " + e.getMessage(), e);
        } finally {
            c.close(pidfd);
        }
        return count;
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException e) {
            return false; // closed meanwhile
        }
    }

    private static List<String> runIds(Path dumpLog) {
        if (!Files.exists(dumpLog)) {
            return List.of(); // no dump ran: nothing was locked
        }
        try {
            List<String> ids = new ArrayList<>();
            Matcher m = RUN_ID.matcher(Files.readString(dumpLog));
            while (m.find()) {
                ids.add(m.group(1));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dumpLog + " for CRIU's run id: " + e.getMessage(), e);
        }
    }

    /** CRIU names its table "CRIU-" + run id, cut to nftables' name length: matched by prefix. */
    private static List<String> deleteTables(Path namespace, List<String> runIds) {
        return inNamespace(namespace, () -> {
            LibNftables nft = Native.load("libnftables.so.1", LibNftables.class);
            Pointer ctx = nft.nft_ctx_new(0);
            try {
                nft.nft_ctx_buffer_output(ctx);
                nft.nft_ctx_buffer_error(ctx);
                run(nft, ctx, "list tables");
                List<String> deleted = new ArrayList<>();
                Matcher m = TABLE.matcher(nft.nft_ctx_get_output_buffer(ctx));
                while (m.find()) {
                    String table = m.group(1);
                    if (runIds.stream().anyMatch(id -> ("CRIU-" + id).startsWith(table))) {
                        run(nft, ctx, "delete table inet " + table);
                        deleted.add(table);
                    }
                }
                return deleted;
            } finally {
                nft.nft_ctx_free(ctx);
            }
        });
    }

    private static void run(LibNftables nft, Pointer ctx, String command) {
        if (nft.nft_run_cmd_from_buffer(ctx, command) != 0) {
            throw new IllegalStateException("nft '" + command + "' failed: " + nft.nft_ctx_get_error_buffer(ctx));
        }
    }

    /** setns(2) moves only the calling thread: a thread of its own, which ends afterwards, does the work. */
    private static <T> T inNamespace(Path namespace, java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    LibC c = LibC.INSTANCE;
                    int fd = c.open(namespace.toString(), 0);
                    if (fd < 0) {
                        result.completeExceptionally(new IllegalStateException(
                                "cannot open " + namespace + ": errno " + Native.getLastError()));
                        return;
                    }
                    try {
                        if (c.setns(fd, CLONE_NEWNET) != 0) {
                            throw new IllegalStateException(
                                    "setns " + namespace + " failed: errno " + Native.getLastError());
                        }
                        result.complete(work.get());
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    } finally {
                        c.close(fd);
                    }
                },
                "netns-" + namespace.getFileName());
        thread.start();
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in " + namespace, e);
        }
    }
}
