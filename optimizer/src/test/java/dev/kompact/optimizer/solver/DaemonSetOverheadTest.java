package dev.kompact.optimizer.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonSetOverheadTest {

    private final Pod proxy =
            daemon("proxy-1", 100, Map.of(), List.of(new Toleration(null, Toleration.Operator.Exists, null, null)));
    private final Pod gpuPlugin = daemon(
            "gpu-plugin-1",
            50,
            Map.of("accelerator", "nvidia"),
            List.of(new Toleration("nvidia.com/gpu", Toleration.Operator.Exists, null, null)));
    private final Pod logs = daemon("logs-1", 200, Map.of(), List.of());
    private final DaemonSetOverhead overhead =
            DaemonSetOverhead.of(List.of(proxy, gpuPlugin, logs, daemon("proxy-2", 100, Map.of(), List.of())));

    @Test
    void countsEachMatchingDaemonSetOnceWithItsPodSlot() {
        // proxy 100m + logs 200m, two pod slots; the GPU plugin selects GPU nodes only
        ResourceList onPlainNode = overhead.on(Map.of(), List.of());

        assertThat(onPlainNode.get("cpu")).isEqualTo(300);
        assertThat(onPlainNode.get("pods")).isEqualTo(2);
    }

    @Test
    void leavesOutADaemonSetThatDoesNotTolerateTheNodesTaint() {
        // logs tolerates nothing: on a tainted GPU node only proxy (tolerates all) and the GPU plugin run
        ResourceList onTaintedGpuNode = overhead.on(
                Map.of("accelerator", "nvidia"), List.of(new Taint("nvidia.com/gpu", "true", TaintEffect.NoSchedule)));

        assertThat(onTaintedGpuNode.get("cpu")).isEqualTo(150);
        assertThat(onTaintedGpuNode.get("pods")).isEqualTo(2);
    }

    private static Pod daemon(String name, long cpu, Map<String, String> nodeSelector, List<Toleration> tolerations) {
        return PodBuilder.pod(name)
                .namespace("kube-system")
                .on("n")
                .owner("DaemonSet", name.substring(0, name.lastIndexOf('-')))
                .requests(ResourceList.of(Map.of("cpu", cpu)))
                .nodeSelector(nodeSelector)
                .tolerations(tolerations)
                .build();
    }
}
