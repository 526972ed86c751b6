package dev.kompact.agent.criu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.v1.Strategy;
import org.junit.jupiter.api.Test;

class CriuCapabilitiesTest {
    @Test
    void offersPostCopyFirstWhereLazyPagesWork() {
        assertThat(new CriuCapabilities("4.2.1", true, false).strategies())
                .containsExactly(Strategy.POST_COPY, Strategy.STOP_AND_COPY);
    }

    @Test
    void fallsBackToStopAndCopyWithoutUserfaultfd() {
        assertThat(new CriuCapabilities("4.2.1", false, false).strategies()).containsExactly(Strategy.STOP_AND_COPY);
    }

    @Test
    void offersPreCopyAfterPostCopyWhereTheKernelTracksDirtyPages() {
        assertThat(new CriuCapabilities("4.2.1", true, true).strategies())
                .containsExactly(Strategy.POST_COPY, Strategy.PRE_COPY, Strategy.STOP_AND_COPY);
    }

    @Test
    void offersPreCopyWithoutUserfaultfd() {
        assertThat(new CriuCapabilities("4.2.1", false, true).strategies())
                .containsExactly(Strategy.PRE_COPY, Strategy.STOP_AND_COPY);
    }

    @Test
    void neverOffersPreCopyWithoutDirtyTracking() {
        assertThat(new CriuCapabilities("4.2.1", true, false).strategies()).doesNotContain(Strategy.PRE_COPY);
    }

    @Test
    void offersNothingWithoutCriu() {
        assertThat(new CriuCapabilities("", true, true).strategies()).isEmpty();
    }
}
