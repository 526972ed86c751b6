package dev.kompact.executor.migration;

import java.util.Optional;

/** Where the node agent of a node listens. */
@FunctionalInterface
public interface AgentDirectory {

    /** host:port of the node's agent; empty when the node runs none (or none that is ready). */
    Optional<String> address(String node);
}
