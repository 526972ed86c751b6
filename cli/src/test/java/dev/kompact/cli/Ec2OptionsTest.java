package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.aws.Ec2ProviderSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class Ec2OptionsTest {

    @Test
    void withoutALaunchTemplateTheControllerOnlyReports() {
        assertThat(parse().settings()).isEmpty();
        assertThat(parse().cloud().provider()).isEmpty();
    }

    @Test
    void readsTemplateVersionAndSubnetsPerZone() {
        Ec2ProviderSettings settings = parse(
                        "--launch-template",
                        "lt-0abc:7",
                        "--cluster-name",
                        "prod",
                        "--aws-region",
                        "us-east-1",
                        "--subnet",
                        "us-east-1a=subnet-1",
                        "--subnet",
                        "us-east-1a=subnet-2",
                        "--subnet",
                        "us-east-1b=subnet-3")
                .settings()
                .orElseThrow();

        assertThat(settings.launchTemplateId()).isEqualTo("lt-0abc");
        assertThat(settings.launchTemplateVersion()).isEqualTo("7");
        assertThat(settings.subnetsByZone())
                .isEqualTo(Map.of("us-east-1a", List.of("subnet-1", "subnet-2"), "us-east-1b", List.of("subnet-3")));
        assertThat(settings.terminateUntagged()).isFalse();
    }

    @Test
    void namesWhatIsMissing() {
        assertThatThrownBy(() -> parse("--launch-template", "lt-0abc").settings())
                .hasMessage("--launch-template needs --cluster-name and at least one --subnet");
        assertThatThrownBy(() -> parse(
                                "--launch-template",
                                "lt-0abc",
                                "--cluster-name",
                                "prod",
                                "--aws-region",
                                "us-east-1",
                                "--subnet",
                                "subnet-1")
                        .settings())
                .hasMessageContaining("'subnet-1' is not ZONE=SUBNET");
        assertThatThrownBy(() -> parse("--subnet", "us-east-1a=subnet-1").settings())
                .hasMessage("--subnet and --cluster-name need --launch-template");
        assertThatThrownBy(() -> parse("--interruption-queue", "https://sqs.us-east-1.amazonaws.com/1/q")
                        .cloud())
                .hasMessage("--interruption-queue needs --launch-template");
    }

    @Test
    void routesPodAddressesThroughEc2OnlyOnTheVpcCni() {
        String[] ec2 = {
            "--launch-template",
            "lt-0abc",
            "--cluster-name",
            "prod",
            "--aws-region",
            "us-east-1",
            "--subnet",
            "us-east-1a=subnet-1"
        };
        String[] vpcCni = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(ec2), java.util.stream.Stream.of("--pod-network", "vpc-cni"))
                .toArray(String[]::new);

        assertThat(parse(ec2).cloud().podAddresses()).isEmpty();
        assertThat(parse(vpcCni).cloud().podAddresses()).get().isInstanceOf(dev.kompact.aws.Ec2PodAddresses.class);
        assertThatThrownBy(() -> parse("--pod-network", "vpc-cni").cloud())
                .hasMessageStartingWith("--pod-network vpc-cni needs --launch-template");
        assertThatThrownBy(() -> parse("--pod-network", "calico"))
                .hasMessageContaining("'calico' is not a pod network: use bridge or vpc-cni");
    }

    private static Ec2Options parse(String... args) {
        Ec2Options options = new Ec2Options();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
