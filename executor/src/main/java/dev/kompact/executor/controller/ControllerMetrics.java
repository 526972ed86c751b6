package dev.kompact.executor.controller;

import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.execution.ExecutionListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The controller's metrics, prefix {@code kompact_}. */
public final class ControllerMetrics implements ExecutionListener {

    private static final List<String> PLAN_RESULTS = Stream.concat(
                    Stream.of(PlanPhase.values()).map(p -> p.name().toLowerCase()),
                    Stream.of("dry_run", "gated", "rejected", "no_valid_plan", "invalid_snapshot"))
            .distinct()
            .toList();

    private final Gauge clusterCost;
    private final Gauge planSavings;
    private final Counter plans;
    private final Counter migrations;
    private final Histogram migrationDuration;
    private final Counter nodesTerminated;
    private final Histogram solverDuration;
    private final Gauge lowerBoundGap;
    private final Gauge leader;
    private final Histogram migrationFreeze;

    public ControllerMetrics(PrometheusRegistry registry) {
        clusterCost = Gauge.builder()
                .name("kompact_cluster_cost_dollars_per_hour")
                .help("Hourly cost of the cluster's nodes at catalogue prices")
                .register(registry);
        planSavings = Gauge.builder()
                .name("kompact_plan_savings_dollars_per_hour")
                .help("Hourly saving of the latest plan")
                .register(registry);
        plans = Counter.builder()
                .name("kompact_plans_total")
                .help("Planning rounds by result: succeeded, failed, aborted, dry_run, gated, rejected,"
                        + " no_valid_plan")
                .labelNames("result")
                .register(registry);
        // every known label value from the start: an alert's increase() over a series that appears only with its
        // first event misses that event
        for (String result : PLAN_RESULTS) {
            plans.initLabelValues(result);
        }
        migrations = Counter.builder()
                .name("kompact_migrations_total")
                .help("Pod moves by method (live, eviction) and result")
                .labelNames("method", "result")
                .register(registry);
        for (String method : List.of(METHOD_LIVE, METHOD_EVICTION)) {
            migrations.initLabelValues(method, "succeeded");
            migrations.initLabelValues(method, "failed");
        }
        migrationDuration = Histogram.builder()
                .name("kompact_migration_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Time from starting a pod move to its end")
                .classicOnly()
                .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600)
                .register(registry);
        nodesTerminated = Counter.builder()
                .name("kompact_nodes_terminated_total")
                .help("Nodes terminated by plans")
                .register(registry);
        solverDuration = Histogram.builder()
                .name("kompact_solver_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Time the solver searched per round")
                .classicOnly()
                .classicUpperBounds(1, 5, 10, 30, 60, 120, 300)
                .register(registry);
        lowerBoundGap = Gauge.builder()
                .name("kompact_lower_bound_gap_ratio")
                .help("How far the latest plan's cost is above the lower bound, as a share of the bound")
                .register(registry);
        leader = Gauge.builder()
                .name("kompact_leader")
                .help("1 while this replica holds the controllers' Lease and plans, else 0")
                .register(registry);
        leader.set(0);
        migrationFreeze = Histogram.builder()
                .name("kompact_migration_freeze_seconds")
                .unit(Unit.SECONDS)
                .help("How long a live-migrated pod was stopped, as its source agent measured it")
                .classicOnly()
                .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 5, 10, 30)
                .register(registry);
    }

    void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    void clusterCost(double dollarsPerHour) {
        clusterCost.set(dollarsPerHour);
    }

    void planned(double savingsPerHour, double gap, Duration solving) {
        planSavings.set(savingsPerHour);
        lowerBoundGap.set(gap);
        solverDuration.observe(solving.toMillis() / 1000.0);
    }

    void roundEnded(String result) {
        plans.labelValues(result).inc();
    }

    @Override
    public void podMoved(String method, String result, Duration took) {
        migrations.labelValues(method, result).inc();
        migrationDuration.observe(took.toMillis() / 1000.0);
    }

    @Override
    public void podFrozen(Duration freeze) {
        migrationFreeze.observe(freeze.toMillis() / 1000.0);
    }

    @Override
    public void nodeTerminated() {
        nodesTerminated.inc();
    }

    @Override
    public void planFinished(PlanPhase phase) {
        roundEnded(phase.name().toLowerCase());
    }
}
