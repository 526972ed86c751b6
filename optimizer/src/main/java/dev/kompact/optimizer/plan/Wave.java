package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One step of a plan that is safe on its own: nodes bought, pods moved, or nodes removed. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Wave(int index, Kind kind, List<String> nodes, List<PodMove> moves) {

    public enum Kind {
        PROVISION,
        MOVE,
        REMOVE
    }

    public Wave {
        nodes = List.copyOf(nodes);
        moves = List.copyOf(moves);
    }
}
