package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadroomTest {

    @Test
    void readsOneShareForBothOrOnePerResourceSoftUnlessSaidHard() {
        assertThat(Headroom.parse("10%")).isEqualTo(new Headroom(0.10, 0.10, false, Headroom.Scope.NODE));
        assertThat(Headroom.parse("cpu=10%,memory=20%,hard"))
                .isEqualTo(new Headroom(0.10, 0.20, true, Headroom.Scope.NODE));
        assertThat(Headroom.parse("memory=12.5%")).isEqualTo(new Headroom(0, 0.125, false, Headroom.Scope.NODE));
    }

    @Test
    void readsAClusterWideHeadroom() {
        assertThat(Headroom.parse("10%,cluster")).isEqualTo(new Headroom(0.10, 0.10, false, Headroom.Scope.CLUSTER));
        assertThat(Headroom.parse("cpu=10%,memory=20%,hard,cluster"))
                .isEqualTo(new Headroom(0.10, 0.20, true, Headroom.Scope.CLUSTER));
        assertThat(Headroom.parse("10%,hard,cluster")).hasToString("cpu 10%, memory 10%, hard, cluster-wide");
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> Headroom.parse("10"))
                .hasMessage("headroom \"10\": \"10\" is not a percentage under 100%, e.g. 10%");
        assertThatThrownBy(() -> Headroom.parse("100%")).hasMessageContaining("not a percentage under 100%");
        assertThatThrownBy(() -> Headroom.parse("hard")).hasMessageContaining("gives no share");
    }
}
