package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentOptionsTest {
    @Test
    void podNetworkIsBridgeUnlessSaid() {
        assertThat(parse().config().podNetwork()).isEqualTo(AgentConfig.PodNetworkType.BRIDGE);
    }

    @Test
    void podNetworkTakesTheControllersSpelling() {
        assertThat(parse("--pod-network", "vpc-cni").config().podNetwork())
                .isEqualTo(AgentConfig.PodNetworkType.VPC_CNI);
    }

    @Test
    void refusesAPodNetworkTheAgentCannotRoute() {
        assertThatThrownBy(() -> parse("--pod-network", "calico"))
                .hasMessageContaining("--pod-network must be bridge or vpc-cni, got 'calico'");
    }

    private static AgentOptions parse(String... extra) {
        AgentOptions options = new AgentOptions();
        String[] args = Stream.concat(
                        Stream.of(
                                "--node",
                                "b",
                                "--port",
                                "7443",
                                "--state-dir",
                                "s",
                                "--runc-root",
                                "r",
                                "--pod-bridge",
                                "br0",
                                "--tls-cert",
                                "c",
                                "--tls-key",
                                "k",
                                "--tls-ca",
                                "ca"),
                        Stream.of(extra))
                .toArray(String[]::new);
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
