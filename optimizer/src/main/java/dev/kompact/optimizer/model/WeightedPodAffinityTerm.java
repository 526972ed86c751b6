package dev.kompact.optimizer.model;

/** A preferred pod (anti-)affinity term and its weight (1..100), as in Kubernetes. */
public record WeightedPodAffinityTerm(int weight, PodAffinityTerm term) {}
