package dev.kompact.cli;

import dev.kompact.aws.AwsSettings;
import dev.kompact.aws.Ec2CloudProvider;
import dev.kompact.aws.Ec2ProviderSettings;
import dev.kompact.executor.cloud.CloudProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How the controller launches and terminates EC2 instances; without a launch template it only reports plans. */
final class Ec2Options {

    @Option(names = "--launch-template", paramLabel = "ID[:VERSION]",
            description = "EC2 launch template for new nodes (AMI, instance profile, security groups, user data that"
                    + " joins the cluster); version defaults to $Default")
    String launchTemplate;

    @Option(names = "--subnet", paramLabel = "ZONE=SUBNET",
            description = "a subnet new nodes may use in a zone; repeat for each")
    List<String> subnets = new ArrayList<>();

    @Option(names = "--cluster-name", paramLabel = "NAME",
            description = "tag value for kompact.dev/cluster on the instances Kompact launches and may terminate")
    String clusterName;

    @Option(names = "--aws-region", paramLabel = "REGION", description = "AWS region (default: $AWS_REGION)")
    String region;

    @Option(names = "--terminate-untagged",
            description = "also terminate freed nodes Kompact did not launch (e.g. from before Kompact)")
    boolean terminateUntagged;

    /** The provider the flags describe, empty without --launch-template; a clear error for what is missing. */
    Optional<CloudProvider> provider() {
        return settings().map(s -> new Ec2CloudProvider(AwsSettings.forRegion(region()), s));
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
                throw new IllegalArgumentException("--subnet '" + subnet + "' is not ZONE=SUBNET, e.g."
                        + " us-east-1a=subnet-0abc");
            }
            byZone.computeIfAbsent(parts[0], z -> new ArrayList<>()).add(parts[1]);
        }
        String[] template = launchTemplate.split(":", 2);
        return Optional.of(new Ec2ProviderSettings(clusterName, template[0],
                template.length > 1 ? template[1] : "$Default", byZone, terminateUntagged));
    }

    private String region() {
        String chosen = region != null ? region : System.getenv("AWS_REGION");
        if (chosen == null || chosen.isBlank()) {
            throw new IllegalArgumentException("--launch-template needs --aws-region (or AWS_REGION)");
        }
        return chosen;
    }
}
