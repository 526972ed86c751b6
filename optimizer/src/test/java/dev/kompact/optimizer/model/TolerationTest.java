package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TolerationTest {

    private final Taint batch = new Taint("dedicated", "batch", TaintEffect.NoSchedule);

    @Test
    void equalNeedsSameKeyValueAndEffect() {
        assertThat(new Toleration("dedicated", Toleration.Operator.Equal, "batch", TaintEffect.NoSchedule)
                        .tolerates(batch))
                .isTrue();
        assertThat(new Toleration("dedicated", Toleration.Operator.Equal, "web", TaintEffect.NoSchedule)
                        .tolerates(batch))
                .isFalse();
        assertThat(new Toleration("dedicated", Toleration.Operator.Equal, "batch", TaintEffect.NoExecute)
                        .tolerates(batch))
                .isFalse();
    }

    @Test
    void existsIgnoresValueAndEmptyKeyToleratesEverything() {
        assertThat(new Toleration("dedicated", Toleration.Operator.Exists, null, null).tolerates(batch))
                .isTrue();
        assertThat(new Toleration(null, Toleration.Operator.Exists, null, null).tolerates(batch))
                .isTrue();
        assertThat(new Toleration("other", Toleration.Operator.Exists, null, null).tolerates(batch))
                .isFalse();
    }
}
