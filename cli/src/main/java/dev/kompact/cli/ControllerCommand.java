package dev.kompact.cli;

import dev.kompact.executor.controller.ControllerMain;
import dev.kompact.executor.controller.LiveMigration;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "controller",
        description = {
            "Run the always-on controller: watch the cluster, plan every interval,"
                    + " and carry plans out (Auto) or only report them (DryRun), as its OptimizationPolicy says.",
            "Leader-elected on a Lease; metrics on :8080/metrics, health on :8081/healthz and /readyz. Without"
                    + " --launch-template, plans are reported, not carried out: new nodes cannot be launched."
        })
final class ControllerCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    Ec2Options ec2 = new Ec2Options();

    @Option(
            names = "--policy",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "OptimizationPolicy to follow (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(
            names = "--lease-namespace",
            paramLabel = "NAMESPACE",
            defaultValue = "${env:POD_NAMESPACE}",
            description = "namespace of the Lease the replicas elect their leader on; the same for every replica"
                    + " (default: $POD_NAMESPACE; required when that is unset)")
    String leaseNamespace;

    @Mixin
    SignerOptions signer = new SignerOptions();

    @Option(
            names = "--live-migration",
            description = "move the pods that opt in (annotation kompact.dev/live-migrate: \"true\") live through"
                    + " the node agents, handing each off to a pod on its new node; others are evicted as without it")
    boolean liveMigration;

    @Option(
            names = "--agent-tls-dir",
            paramLabel = "DIR",
            defaultValue = "/etc/kompact/tls",
            description = "with --live-migration: the controller's identity for the agents' mutual TLS, tls.crt,"
                    + " tls.key and ca.crt (default: ${DEFAULT-VALUE}; with --sign-agent-certificates, the identity"
                    + " it issues itself in --tls-dir)")
    Path agentTlsDir;

    @Option(
            names = "--agent-selector",
            paramLabel = "KEY=VALUE[,KEY=VALUE...]",
            defaultValue = "app.kubernetes.io/component=agent",
            description = "with --live-migration: the labels of the agents' DaemonSet pods in the Lease's namespace"
                    + " (default: ${DEFAULT-VALUE})")
    String agentSelector;

    @Spec
    CommandSpec spec;

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Override
    public Integer call() throws Exception {
        if (leaseNamespace == null || leaseNamespace.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing required option: '--lease-namespace=NAMESPACE'"
                            + " (in a pod: --lease-namespace=$(POD_NAMESPACE))");
        }
        var certificates = signer.settings(leaseNamespace);
        Optional<LiveMigration> live;
        try {
            live = !liveMigration
                    ? Optional.empty()
                    : Optional.of(
                            certificates.isPresent()
                                    ? LiveMigration.issued(certificates.get().identity(), agentSelector)
                                    : LiveMigration.of(agentTlsDir, agentSelector));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!liveMigration && ec2.podNetwork != Ec2Options.PodNetwork.BRIDGE) {
            throw new ParameterException(spec.commandLine(), "--pod-network matters only with --live-migration");
        }
        logging.apply();
        ControllerMain.run(
                cluster.kubeconfig, cluster.context, policy, leaseNamespace, ec2.cloud(), certificates, live);
        return 0;
    }
}
