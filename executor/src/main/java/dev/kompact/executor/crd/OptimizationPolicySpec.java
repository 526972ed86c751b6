package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.interval) || !has(self.solverTimeLimit)"
                + " || duration(self.solverTimeLimit) < duration(self.interval)",
        message = "solverTimeLimit must be shorter than interval: a round must end before the next one starts")
public class OptimizationPolicySpec {

    @JsonPropertyDescription("DryRun creates plans and reports them; Auto also carries them out.")
    public PolicyMode mode = PolicyMode.DryRun;

    @JsonPropertyDescription("Time between planning rounds, e.g. 5m, 30s, 1h.")
    @Pattern(CrdPatterns.DURATION)
    @Size(max = CrdPatterns.DURATION_LENGTH)
    public String interval = "5m";

    @JsonPropertyDescription("Longest the solver may search per round, e.g. 30s.")
    @Pattern(CrdPatterns.DURATION)
    @Size(max = CrdPatterns.DURATION_LENGTH)
    public String solverTimeLimit = "30s";

    public SavingsGates savings = new SavingsGates();

    public Disruption disruption = new Disruption();

    @JsonPropertyDescription("Most pods moved at once.")
    @Min(1)
    public int maxConcurrentMigrations = 1;

    @JsonPropertyDescription("Instance families new nodes may come from, e.g. m6i; empty allows every family.")
    public List<String> instanceFamilies = new ArrayList<>();

    @JsonPropertyDescription("Instance types new nodes may be, e.g. m6i.large; empty allows every type.")
    public List<String> instanceTypes = new ArrayList<>();

    public SpotPolicy spot = SpotPolicy.Allow;

    public HeadroomPolicy headroom = new HeadroomPolicy();

    @JsonPropertyDescription("How many finished plans of this policy (succeeded, failed, aborted, or reported only) are"
            + " kept; older ones are deleted every round.")
    @Min(0)
    public int keepFinishedPlans = 10;
}
