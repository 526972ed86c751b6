package dev.kompact.cli.report;

import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.plan.Cost;

/** What keeping {@code headroom} free costs: the plan's bill against the same search's bill without it. */
public record HeadroomCost(Headroom headroom, Cost with, Cost without) {

    public String sentence() {
        long extra = with.microsPerHour() - without.microsPerHour();
        Cost difference = Cost.ofMicros(Math.abs(extra));
        return "headroom " + headroom + ": " + (extra >= 0 ? "costs $" : "saves $")
                + Figures.perHour(difference.perHour()) + "/h ($" + Figures.perMonth(difference.perMonth())
                + "/month) against the plan without it ($" + Figures.perHour(without.perHour()) + "/h)";
    }
}
