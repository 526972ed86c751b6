package dev.kompact.aws;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Kompact needs to know about the user's EC2 setup to launch nodes that join their cluster.
 *
 * @param launchTemplateId the template carries AMI, IAM instance profile, security groups and the user data that
 *     joins the node to the cluster; Kompact only chooses type, zone (subnet) and capacity type
 * @param launchTemplateVersion a version number, {@code $Latest} or {@code $Default}
 * @param subnetsByZone the subnets nodes may use, per availability zone
 * @param terminateUntagged whether {@link Ec2CloudProvider#terminate} may give back instances Kompact did not tag
 *     for {@code clusterName}, e.g. nodes the user created before adopting Kompact
 */
public record Ec2ProviderSettings(
        String clusterName,
        String launchTemplateId,
        String launchTemplateVersion,
        Map<String, List<String>> subnetsByZone,
        boolean terminateUntagged) {

    public Ec2ProviderSettings {
        subnetsByZone = subnetsByZone.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    List<String> subnets(String zone) {
        List<String> subnets = subnetsByZone.getOrDefault(zone, List.of());
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("no subnet is configured for zone " + zone + " (configured: "
                    + subnetsByZone.keySet() + "); add its subnets to the EC2 provider's subnetsByZone");
        }
        return subnets;
    }
}
