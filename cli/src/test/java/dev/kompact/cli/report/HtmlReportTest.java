package dev.kompact.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private final HtmlReport report = new HtmlReport();

    @Test
    void referencesNothingOutsideTheFile() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded()).toLowerCase();
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "url(", "@import", "src=");
    }

    @Test
    void escapesPodNamesInHtml() {
        String html = report.render(Plans.withNames("node-<b>", "shop/<script>alert('x')</script>&\"q\""));
        assertThat(html)
                .doesNotContain("<script>", "<b>")
                .contains("shop/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;")
                .contains("node-&lt;b&gt;");
    }

    @Test
    void drawsOneBarGroupPerNode() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded());
        assertThat(count(html, "<g class=\"node ")).isEqualTo(6);
        assertThat(count(html, "<g class=\"node removed\"")).isEqualTo(3);
        assertThat(count(html, "<g class=\"node added\"")).isEqualTo(1);
    }

    @Test
    void drawsRemovedNodesFirstAndAddedNodesLast() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded());
        String chart = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
        assertThat(chart.indexOf("<title>node-e</title>")).isLessThan(chart.indexOf("<title>node-a</title>"));
        assertThat(chart.indexOf("<title>node-b</title>")).isLessThan(chart.indexOf("<title>kompact-new-0</title>"));
    }

    @Test
    void leadsWithSavingsNodesAndBound() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded());
        assertThat(html)
                .contains(
                        "$308.35",
                        "44.00% less",
                        "5 → 3",
                        "1 added, 3 removed",
                        "$0.4800",
                        "12.00% above it",
                        "23.0% → 70.0%");
    }

    @Test
    void tablesTheMovesWithPendingPodsMarked() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded());
        assertThat(html)
                .contains("<h2>Moves (5)</h2>", "<h2>Nodes added (1)</h2>", "<h2>Nodes removed (3)</h2>")
                .contains("<td class=\"mono\">batch/queued-1</td><td class=\"mono\"><span class=\"pending\">pending");
    }

    @Test
    void warnsAboutUnplacedPods() {
        assertThat(report.render(Plans.threeOfFiveRemovedOneAdded()))
                .contains("<h2>Unplaced pods (1)</h2>", "<li>ml/huge-job</li>");
    }

    @Test
    void saysNothingToChangeWithoutEmptyTables() {
        String html = report.render(Plans.unchanged());
        assertThat(html).contains("Nothing to change").doesNotContain("<h2>Moves", "<h2>Nodes added", "Unplaced");
        assertThat(count(html, "<g class=\"node kept\"")).isEqualTo(2);
    }

    @Test
    void writesTheReportAsUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        report.write(Plans.threeOfFiveRemovedOneAdded(), file);
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("Kompact savings report — sample");
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
