package dev.kompact.cli;

import dev.kompact.agent.AgentMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

@Command(
        name = "agent",
        description = {
            "Run this node's agent (a DaemonSet in production): live migration of"
                    + " containers with CRIU, over mutual TLS.",
            "Flags: --node NAME --port N --state-dir DIR --runc-root DIR --pod-bridge NAME --tls-cert F --tls-key F"
                    + " --tls-ca F [--listen HOST] [--name-prefix P] [--max-image-bytes N] [--max-image-entries N]"
                    + " [--transfer-bytes-per-second N] [--libcriu PATH] [--criu PATH]"
        })
final class AgentCommand implements Callable<Integer> {

    @Unmatched
    List<String> flags = new ArrayList<>();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Override
    public Integer call() throws Exception {
        logging.apply();
        AgentMain.main(flags.toArray(String[]::new));
        return 0;
    }
}
