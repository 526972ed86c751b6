package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.plan.StepAction;
import java.util.List;

/**
 * One step. Provision: {@code node} is the plan's handle for the new node, with its offering and the
 * {@code alternatives} that fit the same pods, best first. Taint, Drain and Terminate: {@code node} is the node.
 * Move: {@code pod} ("namespace/name") from {@code from} towards {@code to}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStep {

    public String id;
    public StepAction action;
    public String node;
    public String instanceType;
    public String zone;
    public String capacityType;
    public List<AlternativeOffering> alternatives;
    public String pod;
    public String from;
    public String to;
    public Mobility mobility;
}
