package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One step of a plan that is safe on its own: nodes bought, tainted, drained or given back, or pods moved. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Wave(int index, StepAction action, List<String> nodes, List<PodMove> moves) {

    public Wave {
        nodes = List.copyOf(nodes);
        moves = List.copyOf(moves);
    }
}
