package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.v1.Strategy;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyChoiceTest {
    @Test
    void picksTheSourcesBestThatTheTargetAlsoSupports() {
        assertThat(StrategyChoice.choose(
                        Strategy.STRATEGY_UNSPECIFIED,
                        List.of(Strategy.POST_COPY, Strategy.STOP_AND_COPY),
                        List.of(Strategy.STOP_AND_COPY)))
                .isEqualTo(Strategy.STOP_AND_COPY);
    }

    @Test
    void refusesARequestedStrategyOneNodeLacks() {
        assertThatThrownBy(() -> StrategyChoice.choose(
                        Strategy.PRE_COPY,
                        List.of(Strategy.STOP_AND_COPY),
                        List.of(Strategy.PRE_COPY, Strategy.STOP_AND_COPY)))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("PRE_COPY is not supported by both");
    }

    @Test
    void refusesWhenNothingIsCommon() {
        assertThatThrownBy(() -> StrategyChoice.choose(Strategy.STRATEGY_UNSPECIFIED, List.of(), List.of()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("is CRIU installed");
    }
}
