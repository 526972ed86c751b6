package dev.kompact.cli.report;

import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The bill cut two ways (by instance type, by capacity type) and drawn as before/after bars. */
final class CostViews {

    private CostViews() {}

    static void render(StringBuilder html, RebalancePlan plan) {
        html.append("<section id=\"cost\">\n<h2>Where the money goes</h2>\n<div class=\"split\">\n");
        table(html, "By instance type", plan, NodeChange::instanceType);
        table(html, "By capacity type", plan, NodeChange::capacityType);
        html.append("</div>\n");
        chart(html, plan);
        html.append("</section>\n");
    }

    private static void table(StringBuilder html, String title, RebalancePlan plan, Function<NodeChange, String> key) {
        Map<String, BigDecimal[]> rows = new TreeMap<>();
        for (NodeChange node : plan.nodes()) {
            BigDecimal[] row = rows.computeIfAbsent(
                    String.valueOf(key.apply(node)), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            if (node.before() != null) {
                row[0] = row[0].add(node.pricePerHour());
            }
            if (node.status() != NodeChange.Status.REMOVED) {
                row[1] = row[1].add(node.pricePerHour());
            }
        }
        html.append("<table class=\"cost\">\n<caption>")
                .append(title)
                .append(
                        "</caption>\n<thead><tr><th></th><th class=\"num\">$/h before</th><th class=\"num\">$/h after</th>")
                .append("</tr></thead>\n<tbody>\n");
        rows.forEach((name, row) -> html.append("<tr><td>")
                .append(Html.escape(name))
                .append("</td><td class=\"num\">")
                .append(Figures.perHour(row[0]))
                .append("</td><td class=\"num\">")
                .append(Figures.perHour(row[1]))
                .append("</td></tr>\n"));
        html.append("</tbody>\n</table>\n");
    }

    /** Two pairs of bars, scaled to the larger of before and after: $/h and node count. */
    private static void chart(StringBuilder html, RebalancePlan plan) {
        double before = plan.costBefore().perHour().doubleValue();
        double after = plan.costAfter().perHour().doubleValue();
        long nodesBefore = plan.nodes().stream().filter(n -> n.before() != null).count();
        long nodesAfter = plan.nodes().stream()
                .filter(n -> n.status() != NodeChange.Status.REMOVED)
                .count();
        html.append("<svg class=\"bill\" viewBox=\"0 0 420 130\" role=\"img\" aria-label=\"cost and nodes before and"
                + " after\">\n");
        bars(
                html,
                0,
                "$/hour",
                before,
                after,
                String.format(Locale.ROOT, "$%.2f", before),
                String.format(Locale.ROOT, "$%.2f", after));
        bars(html, 65, "nodes", nodesBefore, nodesAfter, String.valueOf(nodesBefore), String.valueOf(nodesAfter));
        html.append("</svg>\n");
    }

    private static void bars(
            StringBuilder html, int y, String label, double before, double after, String beforeText, String afterText) {
        double max = Math.max(Math.max(before, after), 1e-9);
        html.append(String.format(
                Locale.ROOT,
                "<text x=\"0\" y=\"%d\" class=\"axis\">%s</text>"
                        + "<rect class=\"before\" x=\"60\" y=\"%d\" width=\"%.1f\" height=\"22\"/>"
                        + "<text x=\"%.1f\" y=\"%d\">%s before</text>"
                        + "<rect class=\"after\" x=\"60\" y=\"%d\" width=\"%.1f\" height=\"22\"/>"
                        + "<text x=\"%.1f\" y=\"%d\">%s after</text>\n",
                y + 28,
                label,
                y,
                250 * before / max,
                66 + 250 * before / max,
                y + 16,
                beforeText,
                y + 26,
                250 * after / max,
                66 + 250 * after / max,
                y + 42,
                afterText));
    }
}
