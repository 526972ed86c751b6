package dev.kompact.sim.bench;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * One workload of a benchmark cluster: its pod template and how many replicas. {@code owner} null is a bare pod;
 * {@code zonal} pods keep a persistent volume in the zone they first ran in; {@code minAvailable} or
 * {@code maxUnavailable}, when set, is its PodDisruptionBudget.
 */
record BenchWorkload(
        String namespace,
        String name,
        Owner owner,
        int replicas,
        ResourceList requests,
        int priority,
        Map<String, String> annotations,
        List<Toleration> tolerations,
        AffinityRules affinity,
        List<Volume> volumes,
        boolean zonal,
        String minAvailable,
        String maxUnavailable) {

    static final String APP_LABEL = "app.kubernetes.io/name";

    Map<String, String> labels() {
        return Map.of(APP_LABEL, name);
    }

    boolean hasBudget() {
        return minAvailable != null || maxUnavailable != null;
    }

    /** What the disruption controller would write in the budget's status with {@code healthy} replicas running. */
    int disruptionsAllowed(int healthy) {
        int desiredHealthy = minAvailable != null ? scaled(minAvailable) : replicas - scaled(maxUnavailable);
        return Math.max(0, healthy - desiredHealthy);
    }

    private int scaled(String intOrPercent) {
        if (intOrPercent.endsWith("%")) {
            int percent = Integer.parseInt(intOrPercent.substring(0, intOrPercent.length() - 1));
            return (percent * replicas + 99) / 100;
        }
        return Integer.parseInt(intOrPercent);
    }
}
