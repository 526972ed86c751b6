package dev.kompact.deploy;

import dev.kompact.executor.cloud.InterruptionNotice;
import dev.kompact.executor.cloud.InterruptionNotices;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An interruption queue the test fills: what the SQS queue would deliver, without AWS. */
final class QueuedNotices implements InterruptionNotices {

    private final BlockingQueue<InterruptionNotice> queue = new LinkedBlockingQueue<>();

    void announce(InterruptionNotice notice) {
        queue.add(notice);
    }

    @Override
    public int poll(Handler handler) {
        InterruptionNotice notice;
        try {
            notice = queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (notice == null) {
            return 0;
        }
        handler.heard(List.of(notice));
        handler.handle(notice);
        return 1;
    }
}
