package dev.kompact.cli.report;

import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.Utilization;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG with one row per node: requested CPU and memory as a share of allocatable, before and after the plan.
 * Removed nodes come first and added nodes last, so the chart reads top to bottom as the cluster shrinks and grows.
 */
final class NodeChart {

    private static final int WIDTH = 960;
    private static final int HEADER_HEIGHT = 44;
    private static final int GROUP_HEIGHT = 32;
    private static final int ROW_HEIGHT = 38;
    private static final int NAME_X = 14;
    private static final int BEFORE_X = 370;
    private static final int AFTER_X = 670;
    private static final int TRACK_WIDTH = 200;
    private static final int NAME_CHARS = 44;
    private static final List<NodeChange.Status> ORDER =
            List.of(NodeChange.Status.REMOVED, NodeChange.Status.KEPT, NodeChange.Status.ADDED);

    String render(List<NodeChange> nodes) {
        List<NodeChange> sorted = nodes.stream()
                .sorted(Comparator.comparing((NodeChange n) -> ORDER.indexOf(n.status()))
                        .thenComparing(NodeChange::name))
                .toList();
        long groups = sorted.stream().map(NodeChange::status).distinct().count();
        int height = HEADER_HEIGHT + (int) groups * GROUP_HEIGHT + sorted.size() * ROW_HEIGHT + 8;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                        + " role=\"img\" aria-label=\"Requested CPU and memory per node, before and after\">\n",
                WIDTH,
                height,
                WIDTH,
                height));
        header(svg);
        int y = HEADER_HEIGHT;
        NodeChange.Status group = null;
        for (NodeChange node : sorted) {
            if (node.status() != group) {
                group = node.status();
                groupTitle(
                        svg,
                        group,
                        sorted.stream().filter(n -> n.status() == node.status()).count(),
                        y);
                y += GROUP_HEIGHT;
            }
            row(svg, node, y);
            y += ROW_HEIGHT;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void header(StringBuilder svg) {
        svg.append(text(NAME_X, 18, "head", "Node"))
                .append(text(BEFORE_X, 18, "head", "Before"))
                .append(text(AFTER_X, 18, "head", "After"));
        svg.append(swatch("cpu", BEFORE_X)).append(text(BEFORE_X + 15, 36, "legend", "CPU requested"));
        svg.append(swatch("mem", BEFORE_X + 120)).append(text(BEFORE_X + 135, 36, "legend", "memory requested"));
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"rule\" x1=\"0\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n",
                WIDTH,
                HEADER_HEIGHT - 0.5,
                HEADER_HEIGHT - 0.5));
    }

    private static void groupTitle(StringBuilder svg, NodeChange.Status status, long count, int y) {
        String title = switch (status) {
            case REMOVED -> "Removed";
            case KEPT -> "Kept";
            case ADDED -> "Added";
        };
        svg.append(text(NAME_X, y + 20, "group", title + " · " + count + (count == 1 ? " node" : " nodes")))
                .append('\n');
    }

    private static void row(StringBuilder svg, NodeChange node, int y) {
        String status = node.status().name().toLowerCase(Locale.ROOT);
        svg.append(String.format(Locale.ROOT, "<g class=\"node %s\" transform=\"translate(0,%d)\">", status, y));
        svg.append("<title>").append(Html.escape(node.name())).append("</title>");
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"band\" x=\"0\" y=\"1\" width=\"%d\" height=\"%d\"/>",
                WIDTH,
                ROW_HEIGHT - 2));
        svg.append(String.format(
                Locale.ROOT, "<rect class=\"stripe\" x=\"0\" y=\"1\" width=\"4\" height=\"%d\"/>", ROW_HEIGHT - 2));
        svg.append(text(NAME_X, 16, "name", shorten(node.name())));
        svg.append(text(
                NAME_X,
                31,
                "type",
                node.instanceType() + " · " + node.zone() + " · " + node.capacityType() + " · $"
                        + Figures.perHour(node.pricePerHour()) + "/h"));
        bars(svg, BEFORE_X, node.before(), "new node");
        bars(svg, AFTER_X, node.after(), "removed");
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"rule\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                NAME_X,
                WIDTH,
                ROW_HEIGHT - 0.5,
                ROW_HEIGHT - 0.5));
        svg.append("</g>\n");
    }

    /** Null utilization means the node does not exist on that side of the plan. */
    private static void bars(StringBuilder svg, int x, Utilization utilization, String absent) {
        if (utilization == null) {
            svg.append(text(x, 23, "absent", absent));
            return;
        }
        bar(svg, x, 8, "cpu", utilization.cpu());
        bar(svg, x, 21, "mem", utilization.memory());
    }

    private static void bar(StringBuilder svg, int x, int y, String resource, double share) {
        double length = Math.min(1, Math.max(0, share)) * TRACK_WIDTH;
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"track\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"9\" rx=\"2\"/>"
                        + "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"9\" rx=\"2\"/>",
                x,
                y,
                TRACK_WIDTH,
                resource,
                x,
                y,
                length));
        // a node can be overcommitted; the bar stops at the track's end and the figure says by how much
        String figureClass = share > 1 ? "figure over" : "figure";
        svg.append(text(x + TRACK_WIDTH + 8, y + 8.5, figureClass, Figures.share(share)));
    }

    private static String swatch(String resource, int x) {
        return String.format(
                Locale.ROOT, "<rect class=\"%s\" x=\"%d\" y=\"28\" width=\"10\" height=\"8\" rx=\"2\"/>", resource, x);
    }

    private static String shorten(String name) {
        return name.length() <= NAME_CHARS ? name : name.substring(0, NAME_CHARS - 1) + "…";
    }

    private static String text(int x, double y, String cssClass, String content) {
        return String.format(
                Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%.1f\">%s</text>", cssClass, x, y, Html.escape(content));
    }
}
