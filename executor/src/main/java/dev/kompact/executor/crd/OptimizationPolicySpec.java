package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class OptimizationPolicySpec {

    @JsonPropertyDescription("DryRun creates plans and reports them; Auto also carries them out.")
    public PolicyMode mode = PolicyMode.DryRun;

    @JsonPropertyDescription("Time between planning rounds, e.g. 5m, 30s, 1h.")
    public String interval = "5m";

    @JsonPropertyDescription("Longest the solver may search per round, e.g. 30s.")
    public String solverTimeLimit = "30s";

    public SavingsGates savings = new SavingsGates();

    public Disruption disruption = new Disruption();

    @JsonPropertyDescription("Most pods moved at once.")
    public int maxConcurrentMigrations = 1;

    @JsonPropertyDescription("Instance families new nodes may come from, e.g. m6i; empty allows every family.")
    public List<String> instanceFamilies = new ArrayList<>();

    @JsonPropertyDescription("Instance types new nodes may be, e.g. m6i.large; empty allows every type.")
    public List<String> instanceTypes = new ArrayList<>();

    public SpotPolicy spot = SpotPolicy.Allow;

    public HeadroomPolicy headroom = new HeadroomPolicy();
}
