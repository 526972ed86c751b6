package dev.kompact.optimizer.bound;

/** A node pattern of {@link PatternProgram}: a kind of node (its index) and how many pods of each item class. */
record Pattern(int kind, int[] counts) {}
