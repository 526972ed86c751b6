package dev.kompact.optimizer.model;

/** A preferred node affinity term and its weight (1..100), as in Kubernetes. */
public record PreferredNodeTerm(int weight, NodeSelectorTerm term) {}
