package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

public class Disruption {

    @JsonPropertyDescription("The most restrictive budget applying at the time a plan is made limits it; when none"
            + " applies, nothing limits it.")
    public List<DisruptionBudget> budgets = new ArrayList<>(List.of(new DisruptionBudget()));
}
