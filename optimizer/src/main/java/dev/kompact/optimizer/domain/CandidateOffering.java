package dev.kompact.optimizer.domain;

import dev.kompact.optimizer.model.InstanceOffering;

/** An offering the plan may buy from, and how many nodes of it the solver may consider at once. */
public record CandidateOffering(InstanceOffering offering, int slots) {}
