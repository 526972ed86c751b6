package dev.kompact.agent.migration;

import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import java.util.List;

/** The migration strategy both ends support: the caller's, or the best in the source's order. */
final class StrategyChoice {
    private StrategyChoice() {}

    static Strategy choose(Strategy requested, List<Strategy> source, List<Strategy> target) {
        if (requested != Strategy.STRATEGY_UNSPECIFIED) {
            if (source.contains(requested) && target.contains(requested)) {
                return requested;
            }
            throw Status.FAILED_PRECONDITION
                    .withDescription("strategy " + requested + " is not supported by both nodes" + " (source: " + source
                            + ", target: " + target + ")")
                    .asRuntimeException();
        }
        return source.stream()
                .filter(target::contains)
                .findFirst()
                .orElseThrow(() -> Status.FAILED_PRECONDITION
                        .withDescription("no migration strategy common to source " + source + " and target " + target
                                + ": is CRIU installed on both nodes?")
                        .asRuntimeException());
    }
}
