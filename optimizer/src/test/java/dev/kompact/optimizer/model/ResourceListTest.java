package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceListTest {

    @Test
    void addsAndSubtractsPerResource() {
        ResourceList a = ResourceList.of(Map.of("cpu", 500L, "memory", 1L << 30));
        ResourceList b = ResourceList.of(Map.of("cpu", 250L));

        assertThat(a.plus(b).get("cpu")).isEqualTo(750);
        assertThat(a.minus(b).get("cpu")).isEqualTo(250);
        assertThat(a.plus(b).get("memory")).isEqualTo(1L << 30);
    }

    @Test
    void refusesToWrapAround() {
        // 2^62 + 2^62 wraps to a negative load in a long: an overfull node would look empty
        ResourceList huge = ResourceList.of(Map.of("memory", 1L << 62));

        assertThatThrownBy(() -> huge.plus(huge)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() ->
                        ResourceList.of(Map.of("memory", Long.MIN_VALUE + 1)).minus(huge))
                .isInstanceOf(ArithmeticException.class);
    }
}
