package dev.kompact.executor.cloud;

import java.util.function.Consumer;

/**
 * The cloud's announcements of instances about to go away. A notice is acknowledged (never delivered again) only
 * when {@code handler} returns; a handler that throws gets it again later.
 */
public interface InterruptionNotices {

  /** Waits a while for notices (a long poll) and hands each to {@code handler}; returns how many it took. */
  int poll(Consumer<InterruptionNotice> handler);
}
