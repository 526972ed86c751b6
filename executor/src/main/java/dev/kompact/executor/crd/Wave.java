package dev.kompact.executor.crd;

import java.util.ArrayList;
import java.util.List;

/** Steps of one action, free to run in any order or at once, within the plan's budgets. */
public class Wave {

    public StepAction action;
    public List<PlanStep> steps = new ArrayList<>();
}
