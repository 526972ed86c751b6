package dev.kompact.optimizer.bound;

/** What a relaxation of the plan says the pods cost at least beyond the kept nodes, and which resources set it. */
record Relaxation(long costMicros, String limitedBy) {}
