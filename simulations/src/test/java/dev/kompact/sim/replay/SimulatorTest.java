package dev.kompact.sim.replay;

import static dev.kompact.sim.replay.TestTraces.pod;
import static dev.kompact.sim.replay.TestTraces.run;
import static dev.kompact.sim.replay.TestTraces.settings;
import static dev.kompact.sim.replay.TestTraces.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimulatorTest {

    @Test
    void podOnAnEmptyClusterWaitsThroughTheProvisioningDelay() {
        RunResult result = run(trace(pod("a", 500, 0, 3600)), "none", settings(0), 1);

        assertThat(result.podPendingSeconds()).isEqualTo(60);
        assertThat(result.nodesLaunched()).isEqualTo(1);
        // the node is billed from its launch at 0 to the end of the trace at 3,600 s
        assertThat(result.nodeHours()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void podArrivingWhereThereIsRoomIsBoundAtOnce() {
        RunResult result = run(trace(pod("a", 500, 0, 3600), pod("b", 500, 100, 3600)), "none", settings(0), 1);

        assertThat(result.podPendingSeconds()).isEqualTo(60);
        assertThat(result.nodesLaunched()).isEqualTo(1);
    }

    @Test
    void departedPodLeavesItsRoomToTheNext() {
        // each pod takes 1,500m of a c5.large's 1,930m: the second fits only once the first has gone
        RunResult result = run(trace(pod("a", 1500, 0, 200), pod("b", 1500, 300, 3600)), "none", settings(0), 1);

        assertThat(result.nodesLaunched()).isEqualTo(1);
        assertThat(result.podPendingSeconds()).isEqualTo(60);
    }

    @Test
    void podNoOfferingHoldsStaysPendingForItsWholeLife() {
        RunResult result = run(trace(pod("huge", 10_000_000, 100, 1000)), "none", settings(0), 1);

        assertThat(result.nodesLaunched()).isZero();
        assertThat(result.podPendingSeconds()).isEqualTo(900);
    }

    @Test
    void samplesRecordRequestedAndProvisionedResources() {
        RunResult result = run(trace(pod("a", 500, 0, 3600)), "none", settings(0), 1);

        Sample atTenMinutes = result.samples().stream()
                .filter(s -> s.seconds() == 600)
                .findFirst()
                .orElseThrow();
        assertThat(atTenMinutes.requestedCpuMillis()).isEqualTo(500);
        assertThat(atTenMinutes.nodes()).isEqualTo(1);
        assertThat(atTenMinutes.provisionedCpuMillis()).isGreaterThanOrEqualTo(500);
        assertThat(atTenMinutes.pendingPods()).isZero();
        assertThat(result.samples().get(0).lowerBoundPerHourMicros()).isZero();
    }

    @Test
    void sameSeedReplaysTheSameRun() {
        SimSettings randomDelays = new SimSettings(
                settings(0.5).interval(),
                java.time.Duration.ofSeconds(30),
                java.time.Duration.ofSeconds(120),
                settings(0.5).restartDelay(),
                settings(0.5).liveFreeze(),
                0.5,
                ScoringPolicy.LEAST_ALLOCATED,
                settings(0.5).solveLimit(),
                settings(0.5).sampleStep(),
                settings(0.5).boundStep(),
                false);
        Trace trace = TestTraces.stranded();

        RunResult first = run(trace, "karpenter", randomDelays, 7);
        RunResult again = run(trace, "karpenter", randomDelays, 7);
        RunResult otherSeed = run(trace, "karpenter", randomDelays, 8);

        assertThat(again.samples()).isEqualTo(first.samples());
        assertThat(again.podPendingSeconds()).isEqualTo(first.podPendingSeconds());
        assertThat(again.nodeHours()).isEqualTo(first.nodeHours());
        assertThat(again.evictions()).isEqualTo(first.evictions());
        assertThat(otherSeed.podPendingSeconds()).isNotEqualTo(first.podPendingSeconds());
    }
}
