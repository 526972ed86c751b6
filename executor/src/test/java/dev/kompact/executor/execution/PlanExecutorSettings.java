package dev.kompact.executor.execution;

import java.time.Duration;

/** Executor settings for tests: quick polls, waits bounded well above what the fakes take. */
public final class PlanExecutorSettings {

    public static final ExecutorSettings FAST = new ExecutorSettings(
            Duration.ofMillis(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(20),
            Duration.ofSeconds(20),
            Duration.ofSeconds(5),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofSeconds(1));

    private PlanExecutorSettings() {}
}
