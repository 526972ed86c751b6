package dev.kompact.sim.packing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.sim.packing.peer.DefaultPeer;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackingBenchmarkTest {

    private final ClusterSnapshot set = PackingSetGenerator.generate(PackingShape.CPU_BOUND, 6, 3);

    @Test
    void defaultPeerPlacesEveryPodWhereTheSchedulerWouldAdmitIt() {
        DefaultPeer.Result result = DefaultPeer.solve(set, Duration.ofSeconds(2), 1);

        assertThat(result.feasible()).isTrue();
        assertThat(PackingBenchmark.check(set, result.nodeOfPod())).isEmpty();
        assertThat(result.firstFeasibleMillis()).isNotNegative();
    }

    @Test
    void checkFindsAPodLeftWithoutANode() {
        Map<String, String> nodeOfPod = new HashMap<>();
        set.pods().forEach(p -> nodeOfPod.put(p.key(), null));

        assertThat(PackingBenchmark.check(set, nodeOfPod))
                .hasSize(set.pods().size())
                .first()
                .asString()
                .contains("is not placed");
    }

    @Test
    void checkFindsANodeHoldingMoreThanItHas() {
        // every pod on the first node: the set needs 60% of all six nodes' cpu, more than one node holds
        Map<String, String> nodeOfPod = new HashMap<>();
        set.pods().forEach(p -> nodeOfPod.put(p.key(), set.nodes().get(0).name()));

        List<String> violations = PackingBenchmark.check(set, nodeOfPod);

        assertThat(violations).isNotEmpty();
        assertThat(violations.get(0)).contains(set.nodes().get(0).name());
    }

    @Test
    void kompactAndThePeerAreMeasuredAgainstTheSameBound() {
        PackingRow row = new PackingBenchmark(new PrintWriter(Writer.nullWriter()))
                .measure(PackingShape.CPU_BOUND, 6, 3, Duration.ofSeconds(2));

        assertThat(row.pods()).isEqualTo(set.pods().size());
        assertThat(row.kompact().violations()).isZero();
        assertThat(row.peer().violations()).isZero();
        assertThat(row.kompact().costPerBound()).isGreaterThanOrEqualTo(1.0);
        assertThat(row.peer().costPerBound()).isGreaterThanOrEqualTo(1.0);
        assertThat(row.kompact().stoppedBecause()).isNotBlank();
        assertThat(set.pods()).extracting(Pod::isPending).containsOnly(true);
    }
}
