package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.model.InstanceOffering;

/** An offering the plan may buy from, and how many nodes of it the solver may consider at once. */
public record CandidateOffering(InstanceOffering offering, int slots) {
}
