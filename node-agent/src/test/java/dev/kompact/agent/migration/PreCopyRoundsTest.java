package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreCopyRoundsTest {
    private static final long MIB = 1L << 20;

    @Test
    void goesOnWhileEachRoundDirtiesLessThanTheOneBefore() {
        PreCopyRounds rounds = new PreCopyRounds(5, 16 * MIB);

        assertThat(rounds.another(256 * MIB)).isTrue();
        assertThat(rounds.another(64 * MIB)).isTrue();
        assertThat(rounds.another(32 * MIB)).isTrue();
    }

    @Test
    void stopsWhenARoundDirtiesNoLessThanTheOneBefore() {
        PreCopyRounds rounds = new PreCopyRounds(5, 16 * MIB);
        rounds.another(256 * MIB);

        // 64 MiB dirtied per round whatever the copy: the workload keeps up with it
        assertThat(rounds.another(64 * MIB)).isTrue();
        assertThat(rounds.another(64 * MIB)).isFalse();
        assertThat(rounds.rounds()).isEqualTo(3);
    }

    @Test
    void stopsOnceTheDirtyPagesAreSmallEnoughForTheFinalDump() {
        PreCopyRounds rounds = new PreCopyRounds(5, 16 * MIB);

        assertThat(rounds.another(256 * MIB)).isTrue();
        assertThat(rounds.another(16 * MIB)).isFalse();
    }

    @Test
    void stopsAfterTheBoundEvenWhileShrinking() {
        PreCopyRounds rounds = new PreCopyRounds(3, 0);

        assertThat(rounds.another(400 * MIB)).isTrue();
        assertThat(rounds.another(300 * MIB)).isTrue();
        assertThat(rounds.another(200 * MIB)).isFalse();
    }

    @Test
    void stopsAfterOneRoundOfAnIdleContainer() {
        assertThat(PreCopyRounds.standard().another(8 * MIB)).isFalse();
    }

    @Test
    void rejectsABoundOfNoRound() {
        assertThatThrownBy(() -> new PreCopyRounds(0, 0)).hasMessageContaining("at least one round");
    }
}
