package dev.kompact.agent.net;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which process is at the other end of an accepted loopback TCP connection: the kernel lists the connecting socket
 * (its local port is the accepted one's remote port) with its inode in /proc/net/tcp, and that inode among the file
 * descriptors of the process that holds it. A loopback port is open to every process of the node's network; this
 * tells the one it is meant for from the others.
 */
public final class LoopbackPeers {
    private static final Set<String> LOOPBACK =
            Set.of("0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000");

    private LoopbackPeers() {}

    /** Whether process {@code pid} holds the client end of {@code accepted}. */
    public static boolean heldBy(Socket accepted, long pid) {
        Set<String> inodes = clientInodes(pid, accepted.getPort(), accepted.getLocalPort());
        if (inodes.isEmpty()) {
            return false;
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[")
                            && inodes.contains(target.substring("socket:[".length(), target.length() - 1));
                } catch (IOException closed) {
                    return false;
                }
            });
        } catch (IOException gone) {
            return false;
        }
    }

    /** Inodes of the loopback sockets from {@code clientPort} to {@code serverPort} in the network of {@code pid}. */
    private static Set<String> clientInodes(long pid, int clientPort, int serverPort) {
        Set<String> inodes = new HashSet<>();
        String client = String.format(Locale.ROOT, ":%04X", clientPort);
        String server = String.format(Locale.ROOT, ":%04X", serverPort);
        for (String table : new String[] {"tcp", "tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "net", table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9
                            && fields[1].endsWith(client)
                            && fields[2].endsWith(server)
                            && LOOPBACK.contains(fields[1].substring(0, fields[1].indexOf(':')))
                            && !fields[9].equals("0")) {
                        inodes.add(fields[9]);
                    }
                }
            } catch (IOException noSuchTable) {
                // no IPv6 on this node, or the process is gone
            }
        }
        return inodes;
    }
}
