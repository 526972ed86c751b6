package dev.kompact.cli.report;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.plan.PodMove;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The report's moves, grouped by namespace and workload, with the filter that opens the workloads matching it. */
final class MovesSection {

    /** Shows the workloads whose text holds the filter, open; {@code #filter=text} in the address sets it. */
    private static final String FILTER_SCRIPT = "const filter = document.getElementById('move-filter');"
            + " function applyFilter() { const q = filter.value.toLowerCase(); let shown = 0;"
            + " document.querySelectorAll('details.workload').forEach(d => {"
            + " const hit = d.textContent.toLowerCase().includes(q); d.hidden = !hit; d.open = q.length > 0 && hit;"
            + " if (hit) { shown++; } }); document.getElementById('moves').dataset.shown = shown; }"
            + " filter.addEventListener('input', applyFilter);"
            + " const asked = location.hash.match(/^#filter=(.*)$/);"
            + " if (asked) { filter.value = decodeURIComponent(asked[1]); } applyFilter();";

    private MovesSection() {}

    static void render(StringBuilder html, PlannedCluster cluster, Reasons reasons) {
        Map<String, Map<String, List<PodMove>>> grouped = new TreeMap<>();
        for (PodMove move : cluster.plan.moves()) {
            grouped.computeIfAbsent(move.pod().namespace(), n -> new TreeMap<>())
                    .computeIfAbsent(cluster.workload(move.pod()), w -> new ArrayList<>())
                    .add(move);
        }
        html.append("<section id=\"moves\">\n<h2>Moves (")
                .append(cluster.plan.moves().size())
                .append(")</h2>\n")
                .append("<p class=\"note\">Grouped by namespace and workload. Live moves are checkpointed and restored"
                        + " by the node agents; restarts are evicted and recreated by their controller.</p>\n")
                .append("<input id=\"move-filter\" class=\"filter\" type=\"search\""
                        + " placeholder=\"Filter by namespace, workload, pod or node\">\n");
        grouped.forEach((namespace, workloads) -> workloads.forEach((workload, moves) -> {
            html.append("<details class=\"workload\"><summary>")
                    .append(Html.escape(workload))
                    .append(" <span class=\"count\">")
                    .append(moves.size())
                    .append(moves.size() == 1 ? " move" : " moves")
                    .append("</span></summary>\n<div class=\"scroll\"><table>\n<thead><tr><th>Pod</th><th>From</th>"
                            + "<th>To</th><th>Mobility</th><th>Why</th></tr></thead>\n<tbody>\n");
            for (PodMove move : moves) {
                html.append("<tr><td class=\"mono\">")
                        .append(Html.escape(move.pod().toString()))
                        .append("</td><td class=\"mono\">")
                        .append(
                                move.from() == null
                                        ? "<span class=\"pending\">pending</span>"
                                        : Html.escape(move.from()))
                        .append("</td><td class=\"mono\">")
                        .append(Html.escape(move.to()))
                        .append("</td><td>")
                        .append(mobility(move.mobility()))
                        .append("</td><td>")
                        .append(Html.escape(reasons.of(move)))
                        .append("</td></tr>\n");
            }
            html.append("</tbody>\n</table></div>\n</details>\n");
        }));
        html.append("<script>").append(FILTER_SCRIPT).append("</script>\n</section>\n");
    }

    private static String mobility(Mobility mobility) {
        if (mobility == null) {
            return "";
        }
        String name = mobility.name().toLowerCase(Locale.ROOT);
        return "<span class=\"badge " + name + "\">" + name + "</span>";
    }
}
