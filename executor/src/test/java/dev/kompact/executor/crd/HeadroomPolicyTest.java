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
        assertThat(policy.toHeadroom()).isEqualTo(new Headroom(0.10, 0.20, true, Headroom.Scope.NODE));
    }

    @Test
    void readsTheClusterScopeAsTheCrdSpellsIt() throws Exception {
        HeadroomPolicy policy = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue("{\"cpuPercent\": 15, \"scope\": \"Cluster\"}", HeadroomPolicy.class);

        assertThat(policy.toHeadroom()).isEqualTo(new Headroom(0.15, 0, false, Headroom.Scope.CLUSTER));
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
