package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The plan: waves carried out one after another, each safe on its own. Money in USD per hour, as decimal text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.deadline) || has(self.evacuatedNode)",
        message = "a deadline belongs to an evacuation: set evacuatedNode too")
public class PlanSpec {

    public String cluster;
    public String policy;

    @JsonPropertyDescription("false for a dry-run plan: it is reported, never carried out.")
    public boolean execute;

    public String costBeforePerHour;
    public String costAfterPerHour;

    @JsonPropertyDescription("The saving for people: $/hour and percent.")
    public String savings;

    @JsonPropertyDescription(
            "Set on a plan made because the cloud announced this node's end: the plan moves its pods" + " off it.")
    public String evacuatedNode;

    @JsonPropertyDescription("RFC 3339: when the cloud takes the evacuated node away (2 minutes after a spot"
            + " interruption warning).")
    @Pattern(CrdPatterns.TIMESTAMP)
    public String deadline;

    @Min(1)
    public int maxConcurrentMigrations = 1;

    @JsonPropertyDescription("Most nodes disrupted at once, resolved from the policy's budget when the plan was made.")
    @Min(0)
    public int maxDisruptedNodes = 1;

    @JsonPropertyDescription("The policy's disruption budgets when the plan was made, asked again before each taint,"
            + " move and drain starts: the plan pauses while their scheduled windows allow fewer nodes than it holds.")
    public List<DisruptionBudget> disruptionBudgets;

    @JsonPropertyDescription("The PodDisruptionBudgets covering the moved pods as they were when the plan was made;"
            + " a change aborts the plan.")
    public List<PdbRecord> podDisruptionBudgets = new ArrayList<>();

    @ValidationRule(
            value = "self == oldSelf",
            message = "a plan's steps cannot change once it is created: its journal refers to them")
    public List<Wave> waves = new ArrayList<>();
}
