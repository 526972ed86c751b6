package dev.kompact.executor.cloud;

/** An instance type in an availability zone: one offering a launch may be filled from. */
public record Offering(String instanceType, String zone) {

    @Override
    public String toString() {
        return instanceType + " in " + zone;
    }
}
