package dev.kompact.executor.crd;

public enum PolicyMode {
    DryRun,
    Auto
}
