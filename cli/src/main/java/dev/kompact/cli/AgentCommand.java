package dev.kompact.cli;

import dev.kompact.agent.AgentConfig;
import dev.kompact.agent.AgentMain;
import dev.kompact.agent.AgentOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "agent",
        description = "Run this node's agent (a DaemonSet in production): live migration of containers with CRIU,"
                + " over mutual TLS.")
final class AgentCommand implements Callable<Integer> {

    @Mixin
    AgentOptions agent = new AgentOptions();

    @Mixin
    EnrolmentOptions enrolment = new EnrolmentOptions();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Override
    public Integer call() throws Exception {
        logging.apply();
        AgentConfig config = agent.config();
        enrolment.start(config);
        AgentMain.run(config);
        return 0;
    }
}
