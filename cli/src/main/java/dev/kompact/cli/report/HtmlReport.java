package dev.kompact.cli.report;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.Utilization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The savings report as one HTML file. Everything is inline (CSS, SVG, one small script for the moves filter, no
 * fonts or links) so the file can be mailed, attached to a ticket or opened offline and look the same.
 */
public final class HtmlReport {

    private static final String STYLESHEET = stylesheet();

    /** Records any script error on the page itself, where a headless browser's DOM dump shows it. */
    private static final String ERROR_SCRIPT = "window.addEventListener('error', e => {"
            + " const root = document.documentElement; root.dataset.errors = (root.dataset.errors || '') + e.message"
            + " + ';'; });";

    private final HeadroomCost headroomCost;
    private final String pricesRegion;

    /** A report of a plan priced from the bundled catalogue. */
    public HtmlReport() {
        this(null, InstanceCatalog.BUNDLED_REGION);
    }

    private HtmlReport(HeadroomCost headroomCost, String pricesRegion) {
        this.headroomCost = headroomCost;
        this.pricesRegion = pricesRegion;
    }

    /** A report that also says what the plan's headroom costs. */
    public HtmlReport withHeadroomCost(HeadroomCost cost) {
        return new HtmlReport(cost, pricesRegion);
    }

    /** A report of a plan priced from {@code region}'s catalogue: its nodes elsewhere are the ones named a risk. */
    public HtmlReport withPricesRegion(String region) {
        return new HtmlReport(headroomCost, region);
    }

    /** @param snapshot what the plan was made from; null leaves out what only it knows (owners, budgets, usage) */
    public void write(RebalancePlan plan, ClusterSnapshot snapshot, Path file) throws IOException {
        Files.writeString(file, render(plan, snapshot), StandardCharsets.UTF_8);
    }

    public String render(RebalancePlan plan, ClusterSnapshot snapshot) {
        PlannedCluster planned = new PlannedCluster(plan, snapshot);
        Reasons reasons = new Reasons(planned);
        Headline headline = Headline.of(plan);
        String cluster = Html.escape(plan.cluster());
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Kompact savings report — ")
                .append(cluster)
                .append("</title>\n")
                .append("<script>")
                .append(ERROR_SCRIPT)
                .append("</script>\n")
                .append("<style>\n")
                .append(STYLESHEET)
                .append("</style>\n</head>\n<body>\n<main>\n");
        html.append("<header>\n<p class=\"eyebrow\">Kompact savings report</p>\n")
                .append("<h1>Cluster <span class=\"cluster\">")
                .append(cluster)
                .append("</span></h1>\n")
                .append("<p class=\"sub\">Solved in ")
                .append(Figures.duration(plan.solveMillis()))
                .append(". Prices in USD; a month is 730 hours; utilization is requests over allocatable.</p>\n")
                .append("</header>\n");
        SummaryCards.render(html, plan, headline);
        if (headline.nothingToChange()) {
            html.append("<section class=\"notice\"><h2>Nothing to change</h2><p>No cheaper placement was found: "
                    + "the cluster is left as it is.</p></section>\n");
        }
        if (plan.decision() != null && plan.decision().rejected()) {
            html.append("<section class=\"warning\">\n<h2>Rejected</h2>\n<p>The independent check found the plan"
                    + " breaking these rules, so it is not carried out:</p>\n<ul>");
            plan.decision()
                    .violations()
                    .forEach(v -> html.append("<li>").append(Html.escape(v)).append("</li>"));
            html.append("</ul>\n</section>\n");
        } else if (!headline.nothingToChange()
                && plan.decision() != null
                && !plan.decision().proposed()) {
            html.append("<section class=\"warning\">\n<h2>Not proposed</h2>\n<p>The plan is valid but not worth"
                    + " carrying out:</p>\n<ul>");
            plan.decision()
                    .reasons()
                    .forEach(r -> html.append("<li>").append(Html.escape(r)).append("</li>"));
            html.append("</ul>\n</section>\n");
        }
        unplaced(html, plan.unplacedPods().stream().map(Object::toString).toList());
        List<String> risks = new ArrayList<>();
        if (headroomCost != null) {
            risks.add(headroomCost.sentence());
        }
        risks.addAll(new RiskSection(planned, pricesRegion).risks());
        list(html, "risks", "What could go wrong", "risks", risks);
        planSteps(html, plan, new PlanSteps(planned));
        CostViews.render(html, plan);
        html.append("<section>\n<h2>Nodes before and after</h2>\n")
                .append("<p class=\"note\">Requested CPU and memory as a share of each node's allocatable.</p>\n")
                .append("<div class=\"chart-frame\">\n")
                .append(new NodeChart().render(plan.nodes()))
                .append("</div>\n</section>\n");
        if (headline.nodesAdded() > 0) {
            nodeTable(html, "Nodes added", plan.nodes(), NodeChange.Status.ADDED, "After", NodeChange::after, reasons);
        }
        if (headline.nodesRemoved() > 0) {
            nodeTable(
                    html,
                    "Nodes removed",
                    plan.nodes(),
                    NodeChange.Status.REMOVED,
                    "Before",
                    NodeChange::before,
                    reasons);
        }
        if (!plan.moves().isEmpty()) {
            MovesSection.render(html, planned, reasons);
        }
        html.append("<footer>Generated by Kompact from a ")
                .append(Html.escape(plan.kind()))
                .append(' ')
                .append(Html.escape(plan.apiVersion()))
                .append(". Nothing has been changed in the cluster.</footer>\n")
                .append("</main>\n<script>document.body.dataset.ready = 'true';</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void unplaced(StringBuilder html, List<String> pods) {
        if (pods.isEmpty()) {
            return;
        }
        html.append("<section class=\"warning\">\n<h2>Unplaced pods (")
                .append(pods.size())
                .append(")</h2>\n")
                .append("<p>No node in the plan, existing or new, can take these pending pods.</p>\n")
                .append("<ul class=\"pods\">");
        for (String pod : pods) {
            html.append("<li>").append(Html.escape(pod)).append("</li>");
        }
        html.append("</ul>\n</section>\n");
    }

    private static void nodeTable(
            StringBuilder html,
            String title,
            List<NodeChange> nodes,
            NodeChange.Status status,
            String when,
            Function<NodeChange, Utilization> utilization,
            Reasons reasons) {
        List<NodeChange> rows = nodes.stream().filter(n -> n.status() == status).toList();
        html.append("<section>\n<h2>")
                .append(title)
                .append(" (")
                .append(rows.size())
                .append(")</h2>\n")
                .append(
                        "<div class=\"scroll\"><table>\n<thead><tr><th>Node</th><th>Instance type</th><th>Zone</th><th>Capacity</th>")
                .append("<th class=\"num\">$/hour</th><th class=\"num\">CPU ")
                .append(when)
                .append("</th><th class=\"num\">Memory ")
                .append(when)
                .append("</th><th>Why</th></tr></thead>\n<tbody>\n");
        for (NodeChange node : rows) {
            Utilization u = utilization.apply(node);
            html.append("<tr><td class=\"mono\">")
                    .append(Html.escape(node.name()))
                    .append("</td><td>")
                    .append(Html.escape(node.instanceType()))
                    .append("</td><td>")
                    .append(Html.escape(node.zone()))
                    .append("</td><td>")
                    .append(Html.escape(node.capacityType()))
                    .append("</td><td class=\"num\">")
                    .append(Figures.perHour(node.pricePerHour()))
                    .append("</td><td class=\"num\">")
                    .append(u == null ? "—" : Figures.share(u.cpu()))
                    .append("</td><td class=\"num\">")
                    .append(u == null ? "—" : Figures.share(u.memory()))
                    .append("</td><td>")
                    .append(Html.escape(reasons.of(node)))
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void list(StringBuilder html, String id, String title, String kind, List<String> items) {
        html.append("<section id=\"")
                .append(id)
                .append("\">\n<h2>")
                .append(title)
                .append("</h2>\n<ul class=\"")
                .append(kind)
                .append("\">");
        items.forEach(item -> html.append("<li>").append(Html.escape(item)).append("</li>"));
        html.append("</ul>\n</section>\n");
    }

    private static void planSteps(StringBuilder html, RebalancePlan plan, PlanSteps steps) {
        html.append("<section id=\"steps\">\n<h2>How it would be carried out</h2>\n<ol class=\"steps\">");
        steps.waves()
                .forEach(step -> html.append("<li>").append(Html.escape(step)).append("</li>"));
        html.append("</ol>\n");
        if (plan.decision() != null) {
            html.append("<p><strong>Gate:</strong> ")
                    .append(plan.decision().proposed() ? "proposed" : "not proposed")
                    .append(
                            plan.decision().reasons().isEmpty()
                                    ? " (worth its disruption)"
                                    : ": "
                                            + Html.escape(String.join(
                                                    "; ", plan.decision().reasons())))
                    .append("</p>\n");
        }
        List<String> budgets = steps.budgets();
        if (!budgets.isEmpty()) {
            html.append("<p><strong>Disruption budgets</strong> (PodDisruptionBudgets whose pods move):</p>\n")
                    .append("<ul class=\"risks\">");
            budgets.forEach(b -> html.append("<li>").append(Html.escape(b)).append("</li>"));
            html.append("</ul>\n");
        }
        html.append("</section>\n");
    }

    private static String stylesheet() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
