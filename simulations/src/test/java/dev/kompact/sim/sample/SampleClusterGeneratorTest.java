package dev.kompact.sim.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleClusterGeneratorTest {

    @Test
    void committedSampleIsWhatTheDefaultSeedGenerates() {
        String generated = SampleClusterGenerator.json(SampleClusterGenerator.DEFAULT_SEED);

        // Comparing as booleans keeps half a megabyte of JSON out of the failure message.
        assertThat(generated.equals(SampleSnapshot.text()))
                .as(
                        "%s differs from the generator's output: regenerate it as SampleClusterGenerator's javadoc says",
                        SampleSnapshot.RESOURCE)
                .isTrue();
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedAnotherCluster() {
        String once = SampleClusterGenerator.json(7);

        assertThat(SampleClusterGenerator.json(7).equals(once)).isTrue();
        assertThat(SampleClusterGenerator.json(8).equals(once)).isFalse();
    }
}
