package dev.kompact.sim.replay;

import java.util.ArrayList;
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
}
