package dev.kompact.agent.migration;

import dev.kompact.agent.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At agent start, the migrations into this node that a previous agent process left unfinished: a restored container
 * is kept (its source stays frozen when it cannot confirm an abort, so this copy is the pod), unless it was still
 * fetching its memory (post-copy): then it is killed and the pod is lost. Everything else of those migrations is
 * removed.
 */
final class TargetRecovery {
    private static final Logger log = LoggerFactory.getLogger(TargetRecovery.class);

    private final TargetMigration.Node node;
    private final Path incomingDir;

    TargetRecovery(TargetMigration.Node node, Path incomingDir) {
        this.node = node;
        this.incomingDir = incomingDir;
    }

    void recover() {
        if (!Files.isDirectory(incomingDir)) {
            return;
        }
        try (Stream<Path> leftovers = Files.list(incomingDir)) {
            for (Path leftover : leftovers.toList()) {
                if (!TargetMigration.saved(leftover)) {
                    FileTrees.deleteTree(leftover); // Prepare died before creating anything
                    continue;
                }
                recover(TargetMigration.load(node, leftover), leftover);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + incomingDir + ": " + e.getMessage(), e);
        }
    }

    private void recover(TargetMigration in, Path leftover) {
        boolean runs = node.runtime()
                .find(in.containerId)
                .map(ContainerRuntime.ContainerInfo::running)
                .orElse(false);
        boolean restored = runs || node.outcomes().committed(in.id);
        if (restored && Files.exists(leftover.resolve(TargetMigration.PAGES_PENDING))) {
            // post-copy, stopped while fetching pages: the rest of its memory is gone with the lazy-pages daemon
            String message = "migration " + in.id + ": " + in.containerId + " ran on node " + node.name()
                    + " before all" + " its memory arrived, and the agent stopped: killed, the pod is lost";
            log.error(message);
            node.runtime().delete(in.containerId);
            node.outcomes().markCommitted(in.id);
            node.outcomes().markLost(in.id, message);
            in.discard();
        } else if (restored) {
            log.info(
                    "migration {} of {} had restored before the agent stopped: keeping the container",
                    in.id,
                    in.containerId);
            node.outcomes().markCommitted(in.id);
            FileTrees.deleteTree(leftover);
        } else {
            log.info(
                    "cleaning up migration {} of {} left unfinished by a previous agent process",
                    in.id,
                    in.containerId);
            in.discard();
        }
    }
}
