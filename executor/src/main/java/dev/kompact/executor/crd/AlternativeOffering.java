package dev.kompact.executor.crd;

/** An instance type and zone a Provision step may buy instead of its own when EC2 cannot fill that. */
public class AlternativeOffering {

    public String instanceType;
    public String zone;

    public AlternativeOffering() {}

    public AlternativeOffering(String instanceType, String zone) {
        this.instanceType = instanceType;
        this.zone = zone;
    }
}
