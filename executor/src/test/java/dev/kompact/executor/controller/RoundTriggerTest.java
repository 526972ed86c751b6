package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoundTriggerTest {

    @Test
    void cutsTheWaitShortOnceFiredAndResets() throws Exception {
        RoundTrigger trigger = new RoundTrigger();
        trigger.fire();
        trigger.fire();
        assertThat(trigger.isFired()).isTrue();

        long start = System.nanoTime();
        trigger.await(Duration.ofMinutes(10));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
        assertThat(trigger.isFired()).isFalse();
    }

    @Test
    void waitsTheTimeoutWhenNotFired() throws Exception {
        RoundTrigger trigger = new RoundTrigger();

        long start = System.nanoTime();
        trigger.await(Duration.ofMillis(50));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }
}
