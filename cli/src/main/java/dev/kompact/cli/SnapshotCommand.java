package dev.kompact.cli;

import dev.kompact.executor.snapshot.KubectlDumpConverter;
import dev.kompact.executor.snapshot.SnapshotExporter;
import dev.kompact.executor.snapshot.SnapshotJson;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
            "With --from-kubectl, convert the output of 'kubectl get nodes,pods,pdb,pv,pvc -A -o json' instead: a"
                    + " savings report without giving Kompact any access."
        })
final class SnapshotCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(
            names = "--from-kubectl",
            paramLabel = "FILE",
            description = "kubectl JSON output to convert ('-' for stdin) instead of reading a cluster")
    String fromKubectl;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description =
                    "cluster name in the snapshot (default: the" + " kubeconfig context, or the dump's file name)")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SnapshotDocument document;
        if (fromKubectl != null) {
            KubectlDumpConverter converter = new KubectlDumpConverter(InstanceCatalog.bundled());
            if ("-".equals(fromKubectl)) {
                document = converter.convert(System.in, "stdin", name == null ? "cluster" : name);
            } else {
                Path dump = Path.of(fromKubectl);
                if (!Files.isRegularFile(dump)) {
                    throw new NoSuchFileException(fromKubectl);
                }
                document = name == null
                        ? converter.convert(dump)
                        : converter.convert(Files.newInputStream(dump), fromKubectl, name);
            }
        } else {
            document = SnapshotExporter.fromKubeconfig(
                    cluster.kubeconfig,
                    cluster.context,
                    name != null ? name : cluster.context != null ? cluster.context : "cluster");
        }
        spec.commandLine().getOut().println(SnapshotJson.write(document));
        return 0;
    }
}
