package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One budget, as Karpenter writes them: a limit, always or in scheduled windows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DisruptionBudget {

    @JsonPropertyDescription("Most nodes disrupted at once: a count (\"2\") or a share of the cluster's nodes (\"10%\","
            + " rounded up).")
    public String nodes = "10%";

    @JsonPropertyDescription("When the budget starts to apply, as a cron expression in UTC (\"0 9 * * 1-5\", @daily);"
            + " without it the budget always applies.")
    public String schedule;

    @JsonPropertyDescription(
            "How long the budget applies from each time the schedule fires, e.g. 8h; required with" + " a schedule.")
    public String duration;
}
