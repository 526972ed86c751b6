package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {

    @Test
    void readsKubernetesStyleDurations() {
        assertThat(GoDurations.parse("5m", "spec.interval")).isEqualTo(Duration.ofMinutes(5));
        assertThat(GoDurations.parse("1h30m", "spec.interval")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurations.parse("250ms", "spec.interval")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void namesTheFieldWhenTextIsNoDuration() {
        assertThatThrownBy(() -> GoDurations.parse("5 minutes", "spec.interval"))
                .hasMessageContaining("spec.interval \"5 minutes\" is not a duration");
        assertThatThrownBy(() -> GoDurations.parse("0s", "spec.interval")).isInstanceOf(IllegalArgumentException.class);
    }
}
