package dev.kompact.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the chart's alerts and Grafana dashboard query: Kompact's, and those of kube-state-metrics and
 * cert-manager.
 */
record ChartMetrics(Set<String> kompact, Set<String> others) {

    private static final Pattern NAME = Pattern.compile("\\b((?:kompact|kube|certmanager)_[a-z0-9_]+)\\b");

    /** From a rendering with the PrometheusRule, the dashboard and every optional alert on. */
    static ChartMetrics of(List<HasMetadata> manifests) {
        StringBuilder queries = new StringBuilder();
        for (Rule rule : Chart.only(manifests, PrometheusRule.class)
                .getSpec()
                .getGroups()
                .get(0)
                .getRules()) {
            queries.append(rule.getExpr().getStrVal()).append('\n');
        }
        Chart.named(manifests, ConfigMap.class, Chart.RELEASE + "-dashboard")
                .orElseThrow()
                .getData()
                .values()
                .forEach(queries::append);
        Set<String> kompact = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        Matcher m = NAME.matcher(queries);
        while (m.find()) {
            (m.group(1).startsWith("kompact_") ? kompact : others).add(m.group(1));
        }
        return new ChartMetrics(kompact, others);
    }
}
