package dev.kompact.executor.cloud;

import java.util.List;

/**
 * The cloud's announcements of instances about to go away. A notice is acknowledged (never delivered again) only
 * when {@link Handler#handle} returns for it; a handler that throws gets it again later.
 */
public interface InterruptionNotices {

    /**
     * Waits a while for notices (a long poll), tells {@code handler} of all of them, then hands over each; returns how
     * many it took.
     */
    int poll(Handler handler);

    @FunctionalInterface
    interface Handler {
        void handle(InterruptionNotice notice);

        /**
         * Every notice of one poll, before any is handled: moving pods off one of the instances must not move them onto
         * another that goes away with it (spot capacity is often reclaimed from several instances at once).
         */
        default void heard(List<InterruptionNotice> notices) {}
    }
}
