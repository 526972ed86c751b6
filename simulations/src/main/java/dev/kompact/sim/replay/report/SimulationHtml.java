package dev.kompact.sim.replay.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.Sample;
import dev.kompact.sim.replay.SimulationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained page: the summary table and, drawn as SVG by a script in the page from data in the page (no
 * network), node count, $/h with each policy's lower bound, and requested against provisioned CPU, memory and GPUs
 * over time, each policy's median over seeds with a band from its lowest to its highest seed. The script marks the
 * body {@code data-charts} with the number of charts drawn, and {@code data-errors} with any script error.
 */
public final class SimulationHtml {

    static final int MAX_POINTS = 600;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final String SCRIPT = "/dev/kompact/sim/replay/report/charts.js";

    private SimulationHtml() {}

    public static String render(SimulationReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(
                "charts",
                List.of(
                        chart(report, "Nodes", "nodes", Map.of("", s -> s.nodes())),
                        chart(
                                report,
                                "Cost per hour (dashed: lower bound)",
                                "$/h",
                                orderedOf(
                                        "", s -> s.pricePerHourMicros() / 1e6,
                                        " lower bound",
                                                s -> s.lowerBoundPerHourMicros() < 0
                                                        ? Double.NaN
                                                        : s.lowerBoundPerHourMicros() / 1e6)),
                        chart(
                                report,
                                "CPU: requested (dashed) and provisioned",
                                "cores",
                                orderedOf(
                                        "", s -> s.provisionedCpuMillis() / 1000.0,
                                        " requested", s -> s.requestedCpuMillis() / 1000.0)),
                        chart(
                                report,
                                "Memory: requested (dashed) and provisioned",
                                "GiB",
                                orderedOf(
                                        "", s -> s.provisionedMemoryBytes() / GIB,
                                        " requested", s -> s.requestedMemoryBytes() / GIB)),
                        chart(
                                report,
                                "GPUs: requested (dashed) and provisioned",
                                "GPUs",
                                orderedOf(
                                        "", s -> s.provisionedGpus(),
                                        " requested", s -> s.requestedGpus()))));
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(data).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>kompact simulate: ")
                .append(escape(report.trace()))
                .append("</title>\n")
                .append("<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:3px 10px;text-align:right;")
                .append("border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}")
                .append(".chart{margin:18px 0}.legend span{margin-right:14px}</style>\n</head>\n<body>\n")
                .append("<h1>kompact simulate: ")
                .append(escape(report.trace()))
                .append("</h1>\n<p>")
                .append(String.format(java.util.Locale.ROOT, "%.1f days replayed", report.simulatedSeconds() / 86400.0))
                .append(", policy interval ")
                .append(escape(report.interval()))
                .append(", scheduler ")
                .append(escape(report.scheduler()))
                .append(String.format(
                        java.util.Locale.ROOT, ", %.0f%% of pods opt in to live migration", report.liveShare() * 100))
                .append(", seeds ")
                .append(report.seeds())
                .append(".</p>\n")
                .append(table(report))
                .append("<div id=\"charts\"></div>\n<script id=\"data\" type=\"application/json\">")
                .append(json)
                .append("</script>\n<script>\n")
                .append(script())
                .append("</script>\n</body></html>\n");
        return page.toString();
    }

    private static Map<String, ToDoubleFunction<Sample>> orderedOf(
            String firstSuffix, ToDoubleFunction<Sample> first, String secondSuffix, ToDoubleFunction<Sample> second) {
        Map<String, ToDoubleFunction<Sample>> measures = new LinkedHashMap<>();
        measures.put(firstSuffix, first);
        measures.put(secondSuffix, second);
        return measures;
    }

    private static Map<String, Object> chart(
            SimulationReport report, String title, String unit, Map<String, ToDoubleFunction<Sample>> measures) {
        List<Map<String, Object>> series = new java.util.ArrayList<>();
        for (String policy : report.policies()) {
            List<RunResult> runs = report.runsOf(policy);
            boolean dashed = false;
            for (Map.Entry<String, ToDoubleFunction<Sample>> measure : measures.entrySet()) {
                SeedBand band = SeedBand.of(runs, measure.getValue(), MAX_POINTS);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("policy", policy);
                line.put("label", policy + measure.getKey());
                line.put("dashed", dashed);
                line.put("band", band);
                series.add(line);
                dashed = true;
            }
        }
        return Map.of("title", title, "unit", unit, "series", series);
    }

    private static String table(SimulationReport report) {
        StringBuilder html = new StringBuilder("<table><tr><th>policy</th><th>cost $</th><th>node-hours</th>"
                + "<th>$ ratio to kompact</th><th>node-hours ratio</th><th>restarts per pod</th>"
                + "<th>live migrations</th><th>pending pod-hours</th><th>plans</th><th>median solve ms</th></tr>\n");
        for (SummaryTable.Row row : SummaryTable.rows(report)) {
            html.append(String.format(
                    java.util.Locale.ROOT,
                    "<tr><td>%s</td><td>%.2f</td><td>%.1f</td><td>%.3f</td>"
                            + "<td>%.3f</td><td>%.3f</td><td>%.0f</td><td>%.1f</td><td>%.0f</td><td>%.0f</td></tr>%n",
                    escape(row.policy()),
                    row.cost(),
                    row.nodeHours(),
                    row.costRatio(),
                    row.nodeHourRatio(),
                    row.restartsPerPod(),
                    row.liveMigrations(),
                    row.pendingPodHours(),
                    row.plans(),
                    row.medianSolveMillis()));
        }
        return html.append("</table>\n").toString();
    }

    private static String script() {
        try (InputStream in = SimulationHtml.class.getResourceAsStream(SCRIPT)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
