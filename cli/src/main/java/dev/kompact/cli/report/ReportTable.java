package dev.kompact.cli.report;

import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.ChurnPoint;
import dev.kompact.optimizer.plan.Decision;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The savings report as plain text for a terminal: aligned columns, no colour, at most 100 columns wide. */
public final class ReportTable {

    private static final int WIDTH = 100;
    private static final int LABEL_WIDTH = 24;
    /** Free-form values start under the before figures rather than flush against the labels. */
    private static final int VALUE_COLUMN = 26;

    private static final int BEFORE_WIDTH = 10;
    private static final int AFTER_WIDTH = 13;
    private static final int LISTED_REMOVED_NODES = 5;
    private static final int LISTED_UNPLACED_PODS = 10;
    private static final int LISTED_NODE_KINDS = 10;

    public String render(RebalancePlan plan) {
        Headline headline = Headline.of(plan);
        StringBuilder out = new StringBuilder();
        out.append("Kompact savings report - cluster \"").append(plan.cluster()).append("\"\n");
        pair(out, "", "before", "after", "");
        pair(out, "nodes", String.valueOf(headline.nodesBefore()), String.valueOf(headline.nodesAfter()), "");
        pair(
                out,
                "cost $/hour",
                Figures.perHour(plan.costBefore().perHour()),
                Figures.perHour(plan.costAfter().perHour()),
                "(" + Figures.change(-plan.savings().percent()) + ")");
        pair(
                out,
                "cost $/month",
                Figures.perMonth(plan.costBefore().perMonth()),
                Figures.perMonth(plan.costAfter().perMonth()),
                monthlyNote(plan.savings().cost().perMonth()));
        pair(
                out,
                "cpu requested",
                Figures.share(plan.utilizationBefore().cpu()),
                Figures.share(plan.utilizationAfter().cpu()),
                "");
        pair(
                out,
                "memory requested",
                Figures.share(plan.utilizationBefore().memory()),
                Figures.share(plan.utilizationAfter().memory()),
                "");
        if (headline.nothingToChange()) {
            single(out, "changes", "nothing to change: no cheaper placement was found");
        } else {
            single(out, "moves", headline.describeMoves());
            listed(
                    out,
                    "nodes added",
                    plan.nodesAdded().size(),
                    addedKinds(plan.nodesAdded()),
                    LISTED_NODE_KINDS,
                    true);
            listed(out, "nodes removed", plan.nodesRemoved().size(), plan.nodesRemoved(), LISTED_REMOVED_NODES, false);
        }
        LowerBoundEstimate bound = plan.lowerBound();
        if (bound != null) {
            single(out, "lower bound $/hour", Figures.perHour(bound.cost().perHour()) + "   (" + gapNote(bound) + ")");
        }
        if (!plan.unplacedPods().isEmpty()) {
            listed(out, "unplaced pods", plan.unplacedPods().size(), plan.unplacedPods(), LISTED_UNPLACED_PODS, false);
        }
        if (!plan.waves().isEmpty()) {
            single(
                    out,
                    "waves",
                    plan.waves().size() + " (add nodes, move pods within disruption budgets," + " remove nodes)");
        }
        Decision decision = plan.decision();
        if (decision != null && !headline.nothingToChange()) {
            single(
                    out,
                    "decision",
                    decision.proposed() ? "proposed" : decision.rejected() ? "rejected" : "not proposed");
            decision.reasons().forEach(reason -> single(out, "", reason));
            decision.violations().forEach(violation -> single(out, "", violation));
        }
        plan.churnCurve().stream()
                .filter(p -> !p.budget().equals("cheapest"))
                .forEach(p -> single(out, p.budget(), churnNote(p)));
        out.append("  solved in ").append(Figures.duration(plan.solveMillis()));
        if (plan.search() != null) {
            out.append(", stopped: ").append(plan.search().stoppedBecause());
        }
        out.append('\n');
        return out.toString();
    }

    /** One point of the churn curve, e.g. "98 pods moved: saves 24.2% of the bill, 52% of the full saving". */
    private static String churnNote(ChurnPoint point) {
        return point.disruptions() + " pods moved: saves " + Figures.percent(point.savingsPercent()) + " of the bill, "
                + Figures.percent(100 * point.shareOfSaving()) + " of the full saving";
    }

    private static String monthlyNote(BigDecimal saved) {
        int sign = saved.signum();
        if (sign > 0) {
            return "saves $" + Figures.perMonth(saved) + "/month";
        }
        return sign < 0 ? "costs $" + Figures.perMonth(saved.negate()) + "/month more" : "saves nothing";
    }

    private static String gapNote(LowerBoundEstimate bound) {
        String gap = bound.gap() <= 0 ? "plan meets it" : "plan is " + Figures.percent(bound.gap() * 100) + " above it";
        return bound.limitingResource() == null ? gap : gap + "; set by " + bound.limitingResource();
    }

    /** Identical new nodes are one line: a plan adding twenty of a kind should not print twenty lines. */
    private static List<String> addedKinds(List<AddedNode> added) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (AddedNode node : added) {
            String kind = node.instanceType() + " " + node.zone() + " " + node.capacityType() + " $"
                    + Figures.perHour(node.pricePerHour()) + "/h";
            counts.merge(kind, 1, Integer::sum);
        }
        List<String> kinds = new ArrayList<>();
        counts.forEach((kind, count) -> kinds.add(count + " x " + kind));
        return kinds;
    }

    private static void pair(StringBuilder out, String label, String before, String after, String note) {
        String line = pad("  " + label, LABEL_WIDTH)
                + padLeft(before, BEFORE_WIDTH)
                + padLeft(after, AFTER_WIDTH)
                + (note.isEmpty() ? "" : "   " + note);
        out.append(line.stripTrailing()).append('\n');
    }

    private static void single(StringBuilder out, String label, String value) {
        out.append(pad("  " + label, VALUE_COLUMN)).append(value).append('\n');
    }

    /** "count: first, second, ... and N more", wrapped to the width and indented under the first item. */
    private static void listed(
            StringBuilder out, String label, int count, List<String> items, int limit, boolean onePerLine) {
        String head = pad("  " + label, VALUE_COLUMN) + count;
        if (items.isEmpty()) {
            out.append(head).append('\n');
            return;
        }
        head += ": ";
        List<String> shown = new ArrayList<>(items.subList(0, Math.min(limit, items.size())));
        if (items.size() > limit) {
            shown.add("and " + (items.size() - limit) + " more");
        }
        StringBuilder line = new StringBuilder(head);
        for (int i = 0; i < shown.size(); i++) {
            String item = shown.get(i) + (onePerLine || i == shown.size() - 1 ? "" : ",");
            if (i > 0 && (onePerLine || line.length() + 1 + item.length() > WIDTH)) {
                out.append(line).append('\n');
                line = new StringBuilder(" ".repeat(head.length()));
            } else if (i > 0) {
                line.append(' ');
            }
            line.append(item);
        }
        out.append(line).append('\n');
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width) {
        return text.length() >= width ? " " + text : " ".repeat(width - text.length()) + text;
    }
}
