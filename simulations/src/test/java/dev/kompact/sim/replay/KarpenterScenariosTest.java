package dev.kompact.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KarpenterScenariosTest {

    @Test
    void scaleScenarioGoesUpToAThousandPodsAndDownToSevenHundred() {
        Trace trace = KarpenterScenarios.generate("karpenter-scale", 3);

        assertThat(trace.pods()).hasSize(1000);
        assertThat(trace.pods().stream().filter(p -> p.deletedSeconds() > 3600)).hasSize(700);
    }

    @Test
    void aSeedDrawsTheSameScenarioEveryTime() {
        assertThat(KarpenterScenarios.generate("karpenter-wide", 5))
                .isEqualTo(KarpenterScenarios.generate("karpenter-wide", 5))
                .isNotEqualTo(KarpenterScenarios.generate("karpenter-wide", 6));
    }

    @Test
    void spreadScenarioAsksForHostnameSpread() {
        assertThat(KarpenterScenarios.generate("karpenter-spread", 1).pods()).allMatch(TracePod::hostnameSpread);
    }
}
