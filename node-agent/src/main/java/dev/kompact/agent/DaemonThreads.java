package dev.kompact.agent;

import java.util.concurrent.Executor;

/**
 * Threads for the agent's background work (page pumps, status reads, tree walks): daemons, so that a migration
 * stuck on a peer never keeps the agent process from exiting, and named, so that a thread dump says what waits.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    public static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs each task on a thread of its own: for work that blocks, kept off the shared pools' few threads. */
    public static Executor named(String name) {
        return task -> start(name, task);
    }
}
