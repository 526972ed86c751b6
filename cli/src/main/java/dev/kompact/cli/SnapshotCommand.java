package dev.kompact.cli;

import dev.kompact.executor.snapshot.ConversionSummary;
import dev.kompact.executor.snapshot.KubectlDumpConverter;
import dev.kompact.executor.snapshot.SnapshotExporter;
import dev.kompact.executor.snapshot.SnapshotJson;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "snapshot",
        description = {
            "Print a ClusterSnapshot of a live cluster as JSON on stdout.",
            "With --from-kubectl, convert what kubectl wrote instead: a savings report without giving Kompact any"
                    + " access. Accepted: 'kubectl get nodes,pods,pdb,pv,pvc -A -o json' (or -o yaml), the API's"
                    + " NodeList/PodList/PodDisruptionBudgetList and PV/PVC lists, several files at once, and"
                    + " 'kubectl cluster-info dump' (its stdout, or its --output-directory)."
        })
final class SnapshotCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(
            names = "--from-kubectl",
            paramLabel = "FILE",
            arity = "1..*",
            description = "kubectl output to convert: files or a cluster-info dump directory ('-' for stdin)")
    List<String> fromKubectl;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "cluster name in the snapshot (default: the kubeconfig context, or the first dump's file"
                    + " name)")
    String name;

    @Mixin
    PriceOptions prices = new PriceOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SnapshotDocument document;
        InstanceCatalog catalog = prices.catalog();
        if (fromKubectl != null) {
            KubectlDumpConverter converter = new KubectlDumpConverter(catalog);
            if (fromKubectl.equals(List.of("-"))) {
                document = converter.convert(System.in, "stdin", name == null ? "cluster" : name);
            } else {
                List<Path> dumps = fromKubectl.stream().map(Path::of).toList();
                document =
                        converter.convert(dumps, name != null ? name : KubectlDumpConverter.clusterName(dumps.get(0)));
            }
            spec.commandLine().getErr().println("kompact: " + ConversionSummary.of(document, catalog));
        } else {
            document = SnapshotExporter.fromKubeconfig(
                    cluster.kubeconfig,
                    cluster.context,
                    name != null ? name : cluster.context != null ? cluster.context : "cluster",
                    catalog);
        }
        spec.commandLine().getOut().println(SnapshotJson.write(document));
        return 0;
    }
}
