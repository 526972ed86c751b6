package dev.kompact.executor.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.plan.StepAction;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules the generated CRDs carry, so that the API server refuses a bad policy or plan with a message when it is
 * applied: each evaluated for real against a good object and a bad one ({@link CrdSchemaCheck}).
 */
class CrdValidationTest {

    private final CrdSchemaCheck policies =
            new CrdSchemaCheck(GeneratedCrdsTest.read("optimizationpolicies.kompact.dev-v1.yml")
                    .getSchema()
                    .getOpenAPIV3Schema());
    private final CrdSchemaCheck plans = new CrdSchemaCheck(GeneratedCrdsTest.read("rebalanceplans.kompact.dev-v1.yml")
            .getSchema()
            .getOpenAPIV3Schema());

    CrdValidationTest() throws Exception {}

    @Test
    void acceptsTheDefaultPolicyAndAScheduledBudget() {
        assertThat(policies.create(policy(spec -> {}))).isEmpty();
        assertThat(policies.create(policy(spec -> {
                    spec.interval = "1h30m";
                    spec.solverTimeLimit = "90s";
                    spec.disruption.budgets.get(0).nodes = "100%";
                    spec.disruption.budgets.get(0).schedule = "0 9 * * 1-5";
                    spec.disruption.budgets.get(0).duration = "8h";
                })))
                .isEmpty();
        assertThat(policies.create(policy(spec -> spec.disruption.budgets.get(0).schedule = "@daily")))
                .containsExactly(".spec.disruption.budgets[0]: schedule and duration go together: a budget applies"
                        + " for a duration (e.g. 8h) from each time its schedule fires");
    }

    @Test
    void refusesDurationsGoCannotRead() {
        // the comparison of the two durations fails to evaluate as well, which the API server reports too
        assertThat(policies.create(policy(spec -> spec.interval = "5 minutes")))
                .anyMatch(v -> v.startsWith(".spec.interval: should match"));
        assertThat(policies.create(policy(spec -> spec.solverTimeLimit = "-1s")))
                .anyMatch(v -> v.startsWith(".spec.solverTimeLimit: should match"));
    }

    @Test
    void refusesASolverTimeLimitNotShorterThanTheInterval() {
        assertThat(policies.create(policy(spec -> {
                    spec.interval = "30s";
                    spec.solverTimeLimit = "1m";
                })))
                .containsExactly(".spec: solverTimeLimit must be shorter than interval: a round must end before the"
                        + " next one starts");
    }

    @Test
    void refusesBudgetsThatAreNeitherCountsNorPercentagesUpTo100() {
        for (String bad : List.of("150%", "-1", "ten", "10 %")) {
            assertThat(policies.create(policy(spec -> spec.disruption.budgets.get(0).nodes = bad)))
                    .as(bad)
                    .singleElement()
                    .asString()
                    .startsWith(".spec.disruption.budgets[0].nodes: should match");
        }
        for (String good : List.of("0", "3", "0%", "10%", "100%")) {
            assertThat(policies.create(policy(spec -> spec.disruption.budgets.get(0).nodes = good)))
                    .as(good)
                    .isEmpty();
        }
    }

    @Test
    void refusesACronScheduleOfTheWrongShape() {
        for (String bad : List.of("0 9 * *", "every day", "0 9 * * MON", "@sometimes")) {
            assertThat(policies.create(policy(spec -> {
                        spec.disruption.budgets.get(0).schedule = bad;
                        spec.disruption.budgets.get(0).duration = "8h";
                    })))
                    .as(bad)
                    .singleElement()
                    .asString()
                    .startsWith(".spec.disruption.budgets[0].schedule: should match");
        }
    }

    @Test
    void refusesCountsAndPercentagesOutOfRange() {
        assertThat(policies.create(policy(spec -> {
                    spec.maxConcurrentMigrations = 0;
                    spec.keepFinishedPlans = -1;
                    spec.savings.minPercent = 150;
                    spec.savings.minDollarsPerHour = new java.math.BigDecimal("-0.01");
                    spec.savings.minSavingsPerDisruption = -1;
                })))
                .containsExactlyInAnyOrder(
                        ".spec.maxConcurrentMigrations: should be greater than or equal to 1.0",
                        ".spec.keepFinishedPlans: should be greater than or equal to 0.0",
                        ".spec.savings.minPercent: should be less than or equal to 100.0",
                        ".spec.savings.minDollarsPerHour: should be greater than or equal to 0.0",
                        ".spec.savings.minSavingsPerDisruption: should be greater than or equal to 0.0");
        assertThat(policies.create(policy(spec -> spec.savings.minDollarsPerHour = new java.math.BigDecimal("1e30"))))
                .containsExactly(".spec.savings.minDollarsPerHour: should be less than or equal to 1000000.0");
    }

    @Test
    void refusesAPlansBudgetsOutOfRangeAndADeadlineWithoutAnEvacuation() {
        assertThat(plans.create(plan(spec -> {}))).isEmpty();
        assertThat(plans.create(plan(spec -> {
                    spec.evacuatedNode = "spot-1";
                    spec.deadline = "2026-12-02T15:20:00.123Z";
                })))
                .isEmpty();

        assertThat(plans.create(plan(spec -> {
                    spec.maxConcurrentMigrations = 0;
                    spec.maxDisruptedNodes = -1;
                    spec.deadline = "in two minutes";
                })))
                .containsExactlyInAnyOrder(
                        ".spec.maxConcurrentMigrations: should be greater than or equal to 1.0",
                        ".spec.maxDisruptedNodes: should be greater than or equal to 0.0",
                        ".spec.deadline: should match '" + CrdPatterns.TIMESTAMP + "'",
                        ".spec: a deadline belongs to an evacuation: set evacuatedNode too");
    }

    @Test
    void refusesAChangeToAPlansStepsButNotToWhetherItIsCarriedOut() {
        RebalancePlanResource created = plan(spec -> {});
        RebalancePlanResource stopped = plan(spec -> spec.execute = false);
        RebalancePlanResource edited = plan(spec -> spec.waves.get(0).steps.get(0).node = "someone-elses-node");

        assertThat(plans.update(created, stopped)).isEmpty();
        assertThat(plans.update(created, edited))
                .containsExactly(
                        ".spec.waves: a plan's steps cannot change once it is created: its journal refers to them");
    }

    private static OptimizationPolicy policy(Consumer<OptimizationPolicySpec> change) {
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        change.accept(spec);
        policy.setSpec(spec);
        return policy;
    }

    private static RebalancePlanResource plan(Consumer<PlanSpec> change) {
        RebalancePlanResource plan = new RebalancePlanResource();
        plan.setMetadata(new ObjectMetaBuilder().withName("p").build());
        PlanSpec spec = new PlanSpec();
        spec.execute = true;
        Wave wave = new Wave();
        wave.action = StepAction.Taint;
        PlanStep step = new PlanStep();
        step.id = "taint-1";
        step.action = StepAction.Taint;
        step.node = "old-1";
        wave.steps.add(step);
        spec.waves.add(wave);
        change.accept(spec);
        plan.setSpec(spec);
        return plan;
    }
}
