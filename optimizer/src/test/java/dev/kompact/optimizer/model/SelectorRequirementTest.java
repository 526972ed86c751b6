package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorRequirementTest {

    private final Map<String, String> labels = Map.of("zone", "a", "cpus", "8");

    @Test
    void evaluatesEveryOperatorAsKubernetesDoes() {
        assertThat(req("zone", SelectorOperator.In, "a", "b").matches(labels)).isTrue();
        assertThat(req("zone", SelectorOperator.In, "b").matches(labels)).isFalse();
        assertThat(req("zone", SelectorOperator.NotIn, "b").matches(labels)).isTrue();
        assertThat(req("missing", SelectorOperator.NotIn, "b").matches(labels)).isTrue();
        assertThat(req("zone", SelectorOperator.Exists).matches(labels)).isTrue();
        assertThat(req("zone", SelectorOperator.DoesNotExist).matches(labels)).isFalse();
        assertThat(req("cpus", SelectorOperator.Gt, "4").matches(labels)).isTrue();
        assertThat(req("cpus", SelectorOperator.Lt, "4").matches(labels)).isFalse();
        assertThat(req("zone", SelectorOperator.Gt, "4").matches(labels)).isFalse();
        assertThat(req("missing", SelectorOperator.Lt, "4").matches(labels)).isFalse();
    }

    private static SelectorRequirement req(String key, SelectorOperator operator, String... values) {
        return new SelectorRequirement(key, operator, List.of(values));
    }
}
