package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.Taint;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cluster's DaemonSets would run on a new node: each DaemonSet whose selector, affinity and tolerations
 * accept the node adds one pod like those it runs today.
 */
public final class DaemonSetOverhead {

    private final Collection<Pod> templates;

    private DaemonSetOverhead(Collection<Pod> templates) {
        this.templates = templates;
    }

    public static DaemonSetOverhead of(Collection<Pod> pods) {
        Map<String, Pod> templateByDaemonSet = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (pod.owner() != null && pod.owner().isDaemonSet()) {
                templateByDaemonSet.putIfAbsent(
                        pod.namespace() + "/" + pod.owner().name(), pod);
            }
        }
        return new DaemonSetOverhead(List.copyOf(templateByDaemonSet.values()));
    }

    /** Requests of the DaemonSet pods a node with these labels and taints would run, one pod slot each. */
    public ResourceList on(Map<String, String> labels, List<Taint> taints) {
        ResourceList total = ResourceList.EMPTY;
        for (Pod template : templates) {
            if (template.acceptsNodeLabels(labels) && template.toleratesAll(taints)) {
                total = total.plus(template.requests().with(ResourceNames.PODS, 1));
            }
        }
        return total;
    }
}
