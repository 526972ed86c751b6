package dev.kompact.agent.migration;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The records of CRIU's page-server protocol that the {@link PageRelay} reads, writes or rewrites: {@code struct
 * page_server_iov} (u32 cmd, padding, u64 nr_pages, u64 vaddr, u64 dst_id), little-endian as on the nodes.
 */
final class PageProtocol {
    static final int RECORD_BYTES = 32;
    static final int GET = 7;
    static final int CLOSE = 0x1023;
    static final int FORCE_CLOSE = 0x1024;
    /** CRIU's page server fails the session on a command it does not know: the relay's way to fail the dump. */
    static final int UNKNOWN_COMMAND = 0xffff;

    /**
     * The most pages one GET may ask for. The lazy-pages daemon grows its background requests to 4 MiB while no fault
     * comes, and answers come back in order on the one stream, so a fault asked for after such a request waits for
     * all of it (1-60 ms measured). CRIU's page server may answer fewer pages than asked, and the daemon then asks
     * again for the rest: capped, a fault waits behind 256 KiB at most.
     */
    static final long MAX_PAGES_PER_GET = 64;

    private static final int NR_PAGES_OFFSET = 8;

    private PageProtocol() {}

    static int command(byte[] record) {
        return ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffff;
    }

    static byte[] record(int command) {
        return ByteBuffer.allocate(RECORD_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(command)
                .array();
    }

    /** Lowers a GET's page count to {@link #MAX_PAGES_PER_GET} in place; other records are left as they are. */
    static void capPages(byte[] record) {
        ByteBuffer fields = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        if (command(record) == GET && Long.compareUnsigned(fields.getLong(NR_PAGES_OFFSET), MAX_PAGES_PER_GET) > 0) {
            fields.putLong(NR_PAGES_OFFSET, MAX_PAGES_PER_GET);
        }
    }
}
