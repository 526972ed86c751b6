package dev.kompact.sim.replay;

/** A node of a trace's own fleet: its capacity and GPU model, as the trace lists it. */
public record TraceNode(String name, long cpuMillis, long memoryMib, int gpus, String gpuModel) {}
