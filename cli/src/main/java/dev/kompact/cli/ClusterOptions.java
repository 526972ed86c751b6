package dev.kompact.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which live cluster to read: a kubeconfig and context, as kubectl takes them. */
final class ClusterOptions {

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "kubeconfig of the cluster to read (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: its current one)")
    String context;
}
