package dev.kompact.cli;

import dev.kompact.cli.report.HeadroomCost;
import dev.kompact.cli.report.HtmlReport;
import dev.kompact.cli.report.ReportTable;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.plan.RebalancePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        description = "Dry-run savings report: plan a cheaper placement, print what it saves,"
                + " and write plan.json and report.html. Touches nothing.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    PlanningOptions options = new PlanningOptions();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "kompact-report",
            description = "Directory for plan.json and report.html (default: ./${DEFAULT-VALUE}/)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ClusterSnapshot snapshot =
                SnapshotSource.load(options, spec.commandLine().getErr());
        RebalancePlan plan = PlanCommand.plan(snapshot, options, spec);
        HtmlReport html =
                new HtmlReport().withPricesRegion(options.prices.catalog().region());
        String headroomLine = "";
        if (!options.headroom.none()) {
            // the same search without the headroom is what the headroom is measured against
            RebalancePlan without = PlanCommand.plan(snapshot, options, Headroom.NONE, spec);
            HeadroomCost cost = new HeadroomCost(options.headroom, plan.costAfter(), without.costAfter());
            html = html.withHeadroomCost(cost);
            headroomLine = cost.sentence() + "\n";
        }
        Files.createDirectories(out);
        Path planFile = out.resolve("plan.json");
        PlanCommand.JSON.writeValue(planFile.toFile(), plan);
        Path htmlFile = out.resolve("report.html");
        html.write(plan, snapshot, htmlFile);
        var stdout = spec.commandLine().getOut();
        stdout.print(new ReportTable().render(plan));
        stdout.print(headroomLine);
        stdout.println("Wrote " + planFile + " and " + htmlFile);
        return 0;
    }
}
