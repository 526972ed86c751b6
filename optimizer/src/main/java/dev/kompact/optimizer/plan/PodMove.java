package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;

/** A pod going from one node to another; {@code from} is null for a pending pod the plan places. */
public record PodMove(
        PodKey pod, @JsonInclude(JsonInclude.Include.ALWAYS) String from, String to, Mobility mobility) {}
