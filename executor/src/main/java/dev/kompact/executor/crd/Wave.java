package dev.kompact.executor.crd;

import dev.kompact.optimizer.plan.StepAction;
import java.util.ArrayList;
import java.util.List;

/**
 * The resource's form of one optimizer plan wave ({@code optimizer.plan.Wave}): its nodes and moves as steps with
 * ids the status journals by, free to run in any order or at once, within the plan's budgets.
 */
public class Wave {

    public StepAction action;
    public List<PlanStep> steps = new ArrayList<>();
}
