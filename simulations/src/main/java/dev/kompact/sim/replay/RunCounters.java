package dev.kompact.sim.replay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What a run counts as it goes; integrals are exact over simulated time, not sampled. */
final class RunCounters {

    long nodeSeconds;
    /** Micro-dollars per hour times seconds: divide by 3600 for micro-dollars. */
    long priceSeconds;

    long pendingPodSeconds;
    int evictions;
    int liveMigrations;
    int nodesLaunched;
    int nodesTerminated;
    int plansMade;
    int plansExecuted;
    int plansFailed;
    int podsSeen;
    final List<Long> solveMillis = new ArrayList<>();
    final List<String> planOutcomes = new ArrayList<>();

    /** {@code seconds} more of the nodes running and the pods pending now. */
    void integrate(long seconds, Collection<SimNode> nodes, int pending) {
        long price = 0;
        for (SimNode node : nodes) {
            price += node.offering().pricePerHourMicros();
        }
        nodeSeconds += nodes.size() * seconds;
        priceSeconds += price * seconds;
        pendingPodSeconds += pending * seconds;
    }

    void plan(long millis, String outcome) {
        plansMade++;
        solveMillis.add(millis);
        planOutcomes.add(outcome);
    }

    void planExecuted(boolean succeeded) {
        plansExecuted++;
        if (!succeeded) {
            plansFailed++;
        }
    }
}
