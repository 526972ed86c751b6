package dev.kompact.aws;

/** An instance type in an availability zone: what one fleet attempt asks EC2 for. */
public record Placement(String instanceType, String zone) {

  @Override
  public String toString() {
    return instanceType + " in " + zone;
  }
}
