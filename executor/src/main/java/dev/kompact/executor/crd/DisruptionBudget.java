package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One budget, as Karpenter writes them: a limit, always or in scheduled windows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.schedule) == has(self.duration)",
        message = "schedule and duration go together: a budget applies for a duration (e.g. 8h) from each time its"
                + " schedule fires")
public class DisruptionBudget {

    @JsonPropertyDescription("Most nodes disrupted at once: a count (\"2\") or a share of the cluster's nodes (\"10%\","
            + " rounded up).")
    @Pattern(CrdPatterns.COUNT_OR_PERCENT)
    public String nodes = "10%";

    @JsonPropertyDescription("When the budget starts to apply, as a cron expression in UTC (\"0 9 * * 1-5\", @daily);"
            + " without it the budget always applies.")
    @Pattern(CrdPatterns.CRON)
    public String schedule;

    @JsonPropertyDescription(
            "How long the budget applies from each time the schedule fires, e.g. 8h; required with" + " a schedule.")
    @Pattern(CrdPatterns.DURATION)
    @Size(max = CrdPatterns.DURATION_LENGTH)
    public String duration;
}
