package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeBudgetTest {

    @Test
    void countsAndPercentagesRoundUp() {
        assertThat(NodeBudget.resolve("2", 50)).isEqualTo(2);
        // 10% of 3 nodes is 0.3: any share above zero allows one
        assertThat(NodeBudget.resolve("10%", 3)).isEqualTo(1);
        assertThat(NodeBudget.resolve("25%", 10)).isEqualTo(3);
        assertThat(NodeBudget.resolve("0%", 10)).isZero();
        assertThat(NodeBudget.resolve("0", 10)).isZero();
    }

    @Test
    void rejectsTextThatIsNeitherWithTheFieldToFix() {
        assertThatThrownBy(() -> NodeBudget.resolve("two", 3))
                .hasMessageContaining("\"two\"")
                .hasMessageContaining("OptimizationPolicy");
        assertThatThrownBy(() -> NodeBudget.resolve("150%", 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
