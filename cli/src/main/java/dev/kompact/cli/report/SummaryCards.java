package dev.kompact.cli.report;

import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.math.BigDecimal;

/** The report's first screen: a card each for the savings, the hourly cost, nodes, moves, utilization and bound. */
final class SummaryCards {

    private SummaryCards() {}

    static void render(StringBuilder html, RebalancePlan plan, Headline headline) {
        html.append("<div class=\"cards\">\n");
        BigDecimal saved = plan.savings().cost().perMonth();
        String months = Figures.dollars(plan.costBefore().perMonth()) + " → "
                + Figures.dollars(plan.costAfter().perMonth()) + " a month";
        if (saved.signum() > 0) {
            card(
                    html,
                    "good wide",
                    "Saves per month",
                    Figures.dollars(saved),
                    Figures.percent(plan.savings().percent()) + " less: " + months);
        } else if (saved.signum() == 0) {
            card(
                    html,
                    "wide",
                    "Saves per month",
                    Figures.dollars(saved),
                    "the cost stays at " + Figures.dollars(plan.costBefore().perMonth()) + " a month");
        } else {
            card(
                    html,
                    "bad wide",
                    "Costs more per month",
                    Figures.dollars(saved.negate()),
                    Figures.percent(-plan.savings().percent()) + " more: " + months);
        }
        card(
                html,
                "",
                "Cost per hour",
                "$" + Figures.perHour(plan.costAfter().perHour()),
                "was $" + Figures.perHour(plan.costBefore().perHour()) + " ("
                        + Figures.change(-plan.savings().percent()) + ")");
        card(
                html,
                "",
                "Nodes",
                headline.nodesBefore() + " → " + headline.nodesAfter(),
                headline.nodesAdded() + " added, " + headline.nodesRemoved() + " removed");
        card(html, "", "Moves", String.valueOf(headline.moves()), movesDetail(headline));
        card(
                html,
                "",
                "CPU requested",
                shares(plan.utilizationBefore().cpu(), plan.utilizationAfter().cpu()),
                "of allocatable, whole cluster");
        card(
                html,
                "",
                "Memory requested",
                shares(
                        plan.utilizationBefore().memory(),
                        plan.utilizationAfter().memory()),
                "of allocatable, whole cluster");
        LowerBoundEstimate bound = plan.lowerBound();
        if (bound != null) {
            String gap = bound.gap() <= 0
                    ? "the plan meets it"
                    : "the plan is " + Figures.percent(bound.gap() * 100) + " above it";
            card(
                    html,
                    "",
                    "Lower bound per hour",
                    "$" + Figures.perHour(bound.cost().perHour()),
                    gap + (bound.limitingResource() == null ? "" : "; set by " + bound.limitingResource()));
        }
        html.append("</div>\n");
    }

    private static String movesDetail(Headline headline) {
        if (headline.moves() == 0) {
            return "no pod moves";
        }
        return headline.liveMoves() + " live, " + headline.restartMoves() + " restart, " + headline.pendingPlaced()
                + " pending placed";
    }

    private static String shares(double before, double after) {
        return Figures.share(before) + " → " + Figures.share(after);
    }

    private static void card(StringBuilder html, String kind, String label, String value, String detail) {
        html.append("<div class=\"card ")
                .append(kind)
                .append("\"><div class=\"label\">")
                .append(Html.escape(label))
                .append("</div><div class=\"value\">")
                .append(Html.escape(value))
                .append("</div><div class=\"detail\">")
                .append(Html.escape(detail))
                .append("</div></div>\n");
    }
}
