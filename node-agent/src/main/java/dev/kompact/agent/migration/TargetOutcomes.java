package dev.kompact.agent.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of the migrations into this node, kept after their files are gone: committed/ID once the container
 * ran here (Abort is refused from then on), lost/ID beside it when that container died before all its memory came.
 */
final class TargetOutcomes {
    private static final Logger log = LoggerFactory.getLogger(TargetOutcomes.class);

    private final String nodeName;
    private final Path stateDir;

    TargetOutcomes(String nodeName, Path stateDir) {
        this.nodeName = nodeName;
        this.stateDir = stateDir;
    }

    boolean committed(String migrationId) {
        return Files.exists(committedMarker(migrationId));
    }

    boolean lost(String migrationId) {
        return Files.exists(lostMarker(migrationId));
    }

    /** Why the pod of a lost migration is gone. */
    Optional<String> lostReason(String migrationId) {
        try {
            return lost(migrationId) ? Optional.of(Files.readString(lostMarker(migrationId))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what became of migration " + migrationId + ": " + e, e);
        }
    }

    void markCommitted(String migrationId) {
        try {
            Files.createDirectories(committedMarker(migrationId).getParent());
            Files.writeString(committedMarker(migrationId), nodeName + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist the commit of migration " + migrationId + ": " + e, e);
        }
    }

    /**
     * Next to the commit marker, which keeps refusing Abort (the source copy is stale and must never run again): says
     * that the container that ran here is gone too.
     */
    void markLost(String migrationId, String message) {
        try {
            Files.createDirectories(lostMarker(migrationId).getParent());
            Files.writeString(lostMarker(migrationId), message);
        } catch (IOException e) {
            log.warn("cannot record that migration {} lost its pod: {}", migrationId, e.toString());
        }
    }

    private Path committedMarker(String migrationId) {
        return stateDir.resolve("committed").resolve(migrationId);
    }

    private Path lostMarker(String migrationId) {
        return stateDir.resolve("lost").resolve(migrationId);
    }
}
