package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The journal the executor resumes from: every step's state and what it needs to be done again safely. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStatus {

    public PlanPhase phase = PlanPhase.Pending;
    public Long observedGeneration;
    public String reason;
    public String message;
    public String startedAt;
    public String finishedAt;
    public String costBeforePerHour;
    public String costAfterPerHour;
    public List<StepStatus> steps = new ArrayList<>();
    public List<Condition> conditions = new ArrayList<>();

    public Optional<StepStatus> step(String id) {
        return steps.stream().filter(s -> id.equals(s.id)).findFirst();
    }
}
