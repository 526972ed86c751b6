package dev.kompact.executor.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.model.Headroom;
import org.junit.jupiter.api.Test;

class HeadroomPolicyTest {

    @Test
    void isNoneUnlessSetAndPercentagesBecomeShares() {
        assertThat(new OptimizationPolicySpec().headroom.toHeadroom()).isEqualTo(Headroom.NONE);
        HeadroomPolicy policy = new HeadroomPolicy();
        policy.cpuPercent = 10;
        policy.memoryPercent = 20;
        policy.hard = true;
        assertThat(policy.toHeadroom()).isEqualTo(new Headroom(0.10, 0.20, true));
    }

    @Test
    void aShareOutOfRangeNamesTheField() {
        HeadroomPolicy policy = new HeadroomPolicy();
        policy.cpuPercent = 100;
        assertThatThrownBy(policy::toHeadroom)
                .hasMessage(
                        "spec.headroom: cpuPercent and memoryPercent must be from 0 to under 100, got 100.0 and 0.0");
    }
}
