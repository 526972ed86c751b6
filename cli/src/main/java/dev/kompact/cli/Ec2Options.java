package dev.kompact.cli;

import dev.kompact.aws.AwsSettings;
import dev.kompact.aws.Ec2Catalog;
import dev.kompact.aws.Ec2CloudProvider;
import dev.kompact.aws.Ec2PodAddresses;
import dev.kompact.aws.Ec2ProviderSettings;
import dev.kompact.aws.InterruptionQueue;
import dev.kompact.executor.controller.ControllerCloud;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How the controller launches and terminates EC2 instances, prices them and hears of their interruptions; without a
 * launch template it only reports plans, priced from the bundled catalogue.
 */
final class Ec2Options {

    @Option(
            names = "--launch-template",
            paramLabel = "ID[:VERSION]",
            description = "EC2 launch template for new nodes (AMI, instance profile, security groups, user data that"
                    + " joins the cluster); version defaults to $Default")
    String launchTemplate;

    @Option(
            names = "--subnet",
            paramLabel = "ZONE=SUBNET",
            description = "a subnet new nodes may use in a zone; repeat for each")
    List<String> subnets = new ArrayList<>();

    @Option(
            names = "--cluster-name",
            paramLabel = "NAME",
            description = "tag value for kompact.dev/cluster on the instances Kompact launches and may terminate")
    String clusterName;

    @Option(names = "--aws-region", paramLabel = "REGION", description = "AWS region (default: $AWS_REGION)")
    String region;

    @Option(
            names = "--terminate-untagged",
            description = "also terminate freed nodes Kompact did not launch (e.g. from before Kompact)")
    boolean terminateUntagged;

    @Option(
            names = "--interruption-queue",
            paramLabel = "URL",
            description = "SQS queue EventBridge feeds with spot interruption, rebalance, state-change and AWS Health"
                    + " events; a node they name is evacuated at once")
    String interruptionQueue;

    @Option(
            names = "--catalog-refresh",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "how often instance types, spot prices (EC2) and on-demand prices (Price List API) are"
                    + " read again (default: ${DEFAULT-VALUE})")
    Duration catalogRefresh;

    @Option(
            names = "--pod-network",
            paramLabel = "NETWORK",
            defaultValue = "bridge",
            converter = PodNetworkConverter.class,
            description = "with --live-migration, who moves a pod's address to its new node: bridge, the node agents"
                    + " (a bridge CNI); vpc-cni, EC2 (the AWS VPC CNI: the controller reassigns the pod's secondary"
                    + " private IP to the target node's ENI; needs --launch-template) (default: ${DEFAULT-VALUE})")
    PodNetwork podNetwork = PodNetwork.BRIDGE;

    /** Who routes a pod's address to its new node; said by the operator, not guessed from the cluster's add-ons. */
    enum PodNetwork {
        BRIDGE,
        VPC_CNI
    }

    /** What the controller uses of EC2; none without --launch-template; a clear error for what is missing. */
    ControllerCloud cloud() {
        Optional<Ec2ProviderSettings> settings = settings();
        if (settings.isEmpty()) {
            if (interruptionQueue != null) {
                throw new IllegalArgumentException("--interruption-queue needs --launch-template");
            }
            if (podNetwork == PodNetwork.VPC_CNI) {
                throw new IllegalArgumentException("--pod-network vpc-cni needs --launch-template: plans are carried"
                        + " out, and pods moved, only with EC2 configured");
            }
            return ControllerCloud.none();
        }
        AwsSettings aws = AwsSettings.forRegion(region());
        return new ControllerCloud(
                Optional.of(new Ec2CloudProvider(aws, settings.get())),
                new Ec2Catalog(
                        aws.ec2(),
                        aws.pricing(),
                        region(),
                        InstanceCatalog.bundled(),
                        catalogRefresh,
                        Clock.systemUTC()),
                Optional.ofNullable(interruptionQueue).map(url -> new InterruptionQueue(aws.sqs(), url)),
                podNetwork == PodNetwork.VPC_CNI ? Optional.of(new Ec2PodAddresses(aws)) : Optional.empty());
    }

    Optional<Ec2ProviderSettings> settings() {
        if (launchTemplate == null) {
            if (!subnets.isEmpty() || clusterName != null) {
                throw new IllegalArgumentException("--subnet and --cluster-name need --launch-template");
            }
            return Optional.empty();
        }
        if (clusterName == null || subnets.isEmpty()) {
            throw new IllegalArgumentException("--launch-template needs --cluster-name and at least one --subnet");
        }
        region();
        Map<String, List<String>> byZone = new LinkedHashMap<>();
        for (String subnet : subnets) {
            String[] parts = subnet.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException(
                        "--subnet '" + subnet + "' is not ZONE=SUBNET, e.g." + " us-east-1a=subnet-0abc");
            }
            byZone.computeIfAbsent(parts[0], z -> new ArrayList<>()).add(parts[1]);
        }
        String[] template = launchTemplate.split(":", 2);
        return Optional.of(new Ec2ProviderSettings(
                clusterName, template[0], template.length > 1 ? template[1] : "$Default", byZone, terminateUntagged));
    }

    private String region() {
        String chosen = region != null ? region : System.getenv("AWS_REGION");
        if (chosen == null || chosen.isBlank()) {
            throw new IllegalArgumentException("--launch-template needs --aws-region (or AWS_REGION)");
        }
        return chosen;
    }

    static final class PodNetworkConverter implements picocli.CommandLine.ITypeConverter<PodNetwork> {
        @Override
        public PodNetwork convert(String value) {
            return switch (value) {
                case "bridge" -> PodNetwork.BRIDGE;
                case "vpc-cni" -> PodNetwork.VPC_CNI;
                default ->
                    throw new IllegalArgumentException("'" + value + "' is not a pod network: use bridge or vpc-cni");
            };
        }
    }
}
