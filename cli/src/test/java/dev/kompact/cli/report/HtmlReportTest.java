package dev.kompact.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private final HtmlReport report = new HtmlReport();

    @Test
    void referencesNothingOutsideTheFile() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null).toLowerCase();
        assertThat(html).doesNotContain("http://", "https://", "<link", "url(", "@import", "src=");
    }

    @Test
    void escapesPodNamesInHtml() {
        String html = report.render(Plans.withNames("node-<b>", "shop/<script>alert('x')</script>&\"q\""), null);
        assertThat(html)
                .doesNotContain("<script>alert", "<b>")
                .contains("shop/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;")
                .contains("node-&lt;b&gt;");
    }

    @Test
    void drawsOneBarGroupPerNode() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        assertThat(count(html, "<g class=\"node ")).isEqualTo(6);
        assertThat(count(html, "<g class=\"node removed\"")).isEqualTo(3);
        assertThat(count(html, "<g class=\"node added\"")).isEqualTo(1);
    }

    @Test
    void drawsRemovedNodesFirstAndAddedNodesLast() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        String chart = html.substring(html.indexOf("<svg class=\"chart\""));
        assertThat(chart.indexOf("<title>node-e</title>")).isLessThan(chart.indexOf("<title>node-a</title>"));
        assertThat(chart.indexOf("<title>node-b</title>")).isLessThan(chart.indexOf("<title>kompact-new-0</title>"));
    }

    @Test
    void leadsWithSavingsNodesAndBound() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
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
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        assertThat(html)
                .contains("<h2>Moves (5)</h2>", "<h2>Nodes added (1)</h2>", "<h2>Nodes removed (3)</h2>")
                .contains("<td class=\"mono\">batch/queued-1</td><td class=\"mono\"><span class=\"pending\">pending");
    }

    @Test
    void warnsAboutUnplacedPods() {
        assertThat(report.render(Plans.threeOfFiveRemovedOneAdded(), null))
                .contains("<h2>Unplaced pods (1)</h2>", "<li>ml/huge-job</li>");
    }

    @Test
    void saysNothingToChangeWithoutEmptyTables() {
        String html = report.render(Plans.unchanged(), null);
        assertThat(html).contains("Nothing to change").doesNotContain("<h2>Moves", "<h2>Nodes added", "Unplaced");
        assertThat(count(html, "<g class=\"node kept\"")).isEqualTo(2);
    }

    @Test
    void givesEveryMoveAndChangedNodeItsReason() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        assertThat(html)
                .contains(
                        "<td>empties node-c (removed, saves $0.1920/h)</td>",
                        "<td>pending pod placed</td>",
                        "<td>added for shop/web-1, shop/web-2 and 1 more</td>",
                        "<td>removed, saves $0.1920/h; its 2 pods move</td>");
    }

    @Test
    void aMoveBetweenKeptNodesSaysWhoseRoomItMakes() {
        RebalancePlan base = Plans.threeOfFiveRemovedOneAdded();
        List<PodMove> moves = new ArrayList<>(base.moves());
        // node-a takes shop/cart-0 from node-c, so shop/api-1 leaves node-a for node-b
        moves.add(new PodMove(PodKey.parse("shop/api-1"), "node-a", "node-b", Mobility.RESTART));
        RebalancePlan plan = base.toBuilder().moves(moves).build();

        assertThat(report.render(plan, null)).contains("<td>makes room on node-a for shop/cart-0</td>");
    }

    @Test
    void groupsMovesByNamespaceAndWorkloadBehindAFilter() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        assertThat(html)
                .contains("<input id=\"move-filter\"")
                .contains("<details class=\"workload\"><summary>batch/queued-1 <span class=\"count\">1 move</span>");
        assertThat(html.indexOf("<summary>batch/")).isLessThan(html.indexOf("<summary>shop/"));
    }

    @Test
    void namesTheRisksThePlanItselfShows() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        assertThat(html)
                .contains(
                        "<li>0 of 3 nodes end above 95.0% of CPU or memory requested</li>",
                        "<li>spot: 0.0% of nodes before, 33.3% after</li>");
    }

    @Test
    void cutsTheBillByInstanceTypeAndCapacityTypeBeforeAndAfter() {
        String html = report.render(Plans.threeOfFiveRemovedOneAdded(), null);
        // five m6i.xlarge at $0.192 before, two after; one m6i.2xlarge spot added at $0.1536
        assertThat(html)
                .contains("<tr><td>m6i.xlarge</td><td class=\"num\">0.9600</td><td class=\"num\">0.3840</td></tr>")
                .contains("<tr><td>spot</td><td class=\"num\">0.0000</td><td class=\"num\">0.1536</td></tr>");
    }

    @Test
    void nodeNamesDoNotWrapMidWord() {
        assertThat(report.render(Plans.threeOfFiveRemovedOneAdded(), null))
                .containsPattern("\\.mono \\{[^}]*white-space: nowrap;");
    }

    @Test
    void writesTheReportAsUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        report.write(Plans.threeOfFiveRemovedOneAdded(), null, file);
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
