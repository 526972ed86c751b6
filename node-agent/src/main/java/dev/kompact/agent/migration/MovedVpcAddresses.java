package dev.kompact.agent.migration;

import dev.kompact.agent.net.VpcRoutes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VPC routes of the pod addresses moved into this node ({@link VpcRoutes}), each recorded in vpc-addresses/IP
 * before any of it is added: an agent restarted halfway finds what to undo. A record goes, with its routes, when its
 * migration rolls back, or once the pod is gone (its veth, and the old address on it, went with its sandbox).
 */
final class MovedVpcAddresses {
    private static final Logger log = LoggerFactory.getLogger(MovedVpcAddresses.class);

    private record Moved(String migrationId, String ip, int table, String hostVeth, int hostVethIndex) {}

    private final Path dir;
    private final VpcRoutes routes;

    MovedVpcAddresses(Path stateDir, VpcRoutes routes) {
        this.dir = stateDir.resolve("vpc-addresses");
        this.routes = routes;
    }

    /** Replies from {@code ip} leave through the ENI; the route to the pod waits for {@link #routeToPod}. */
    void add(String migrationId, String ip, VpcRoutes.EniLink eni, String hostVeth) {
        Moved moved = new Moved(migrationId, ip, eni.table(), hostVeth, routes.indexOf(hostVeth));
        FileTrees.createDirectories(dir);
        write(moved);
        routes.routeFrom(ip, eni);
    }

    void routeToPod(String ip) {
        Moved moved = read(dir.resolve(ip));
        routes.routeTo(ip, moved.hostVeth());
    }

    VpcRoutes routes() {
        return routes;
    }

    /** Undoes {@link #add} and {@link #routeToPod}; does nothing when that migration recorded none for {@code ip}. */
    void remove(String migrationId, String ip) {
        Path file = dir.resolve(ip);
        if (Files.exists(file) && read(file).migrationId().equals(migrationId)) {
            remove(read(file));
        }
    }

    /** At agent start: the routes of migrations that never committed, and of pods gone since. */
    void cleanUpAfterCrash(Predicate<String> committed) {
        removeWhere(m -> !committed.test(m.migrationId()) || gone(m));
    }

    /** The routes of pods gone from this node: their sandbox, and with it the old address, was deleted. */
    void removeGone() {
        removeWhere(this::gone);
    }

    private boolean gone(Moved moved) {
        return !routes.exists(moved.hostVeth(), moved.hostVethIndex());
    }

    private void removeWhere(Predicate<Moved> which) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().endsWith(".tmp")) {
                    Files.delete(file); // a record never written: nothing was added after it
                    continue;
                }
                Moved moved = read(file);
                if (which.test(moved)) {
                    remove(moved);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        }
    }

    private void remove(Moved moved) {
        routes.remove(moved.ip(), moved.table(), moved.hostVeth());
        FileTrees.deleteTree(dir.resolve(moved.ip()));
        log.info("removed the VPC routes of {} (pod migration {})", moved.ip(), moved.migrationId());
    }

    private void write(Moved m) {
        String line = String.join(
                " ",
                m.migrationId(),
                m.ip(),
                Integer.toString(m.table()),
                m.hostVeth(),
                Integer.toString(m.hostVethIndex()));
        try {
            Path temp = dir.resolve(m.ip() + ".tmp");
            Files.writeString(temp, line + "\n");
            Files.move(temp, dir.resolve(m.ip()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the VPC routes of " + m.ip() + ": " + e, e);
        }
    }

    private static Moved read(Path file) {
        try {
            List<String> f = List.of(Files.readString(file).trim().split(" "));
            return new Moved(f.get(0), f.get(1), Integer.parseInt(f.get(2)), f.get(3), Integer.parseInt(f.get(4)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }
}
