package dev.kompact.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class AlibabaTraceTest {

    @Test
    void readsTheBundledTraceAsPublished() {
        Trace trace = AlibabaTrace.bundled(AlibabaTrace.DEFAULT);

        // the trace's README: 1,523 nodes, 8,152 pods, times from 0 to 12,902,960 s
        assertThat(trace.pods()).hasSize(8152);
        assertThat(trace.nodes()).hasSize(1523);
        assertThat(trace.endSeconds()).isEqualTo(12_902_960L);
        assertThat(trace.pods().stream().mapToLong(TracePod::cpuMillis).sum() / 1000)
                .isEqualTo(85_436);
    }

    @Test
    void aGpuShareIsAWholeGpuAndMemoryIsInBytes() throws IOException {
        String pods = """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
                """;

        Trace trace = AlibabaTrace.read("t", new StringReader(pods), new StringReader(""));

        TracePod pod = trace.pods().get(0);
        assertThat(pod.gpus()).isEqualTo(1);
        assertThat(pod.memoryBytes()).isEqualTo(12288L * 1024 * 1024);
        assertThat(pod.createdSeconds()).isEqualTo(427_061);
    }

    @Test
    void refusesAPodListWithoutTimes() {
        String pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nopenb-pod-0000,12000,16384,1,1000\n";

        assertThatThrownBy(() -> AlibabaTrace.read("t", new StringReader(pods), new StringReader("")))
                .hasMessageContaining("no creation or deletion time");
    }

    @Test
    void mapsTraceNodesToTheCheapestOfferingHoldingThem() {
        TraceOfferings offerings = new TraceOfferings();

        // 96 vCPUs, 384 GiB and 8 GPUs: g4dn.metal has exactly that
        assertThat(offerings
                        .forNode(new TraceNode("n", 96_000, 393_216, 8, "G2"))
                        .instanceType())
                .isEqualTo("g4dn.metal");
        // 32 vCPUs and 256 GiB without GPUs: r5.8xlarge
        assertThat(offerings.forNode(new TraceNode("n", 32_000, 262_144, 0, "")).instanceType())
                .isEqualTo("r5.8xlarge");
    }
}
