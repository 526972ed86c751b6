package dev.kompact.agent;

import picocli.CommandLine;

/**
 * Runs one node agent until killed; {@link AgentOptions} are its flags. {@code kompact agent} is the command users
 * run; this entry point is the agent alone on a classpath, as the tests start it in its own JVM.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) throws Exception {
        AgentOptions options = new AgentOptions();
        try {
            new CommandLine(options).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("agent: " + e.getMessage());
            System.exit(2);
        }
        run(options.config());
    }

    /** Serves until the JVM shuts down. */
    public static void run(AgentConfig config) throws Exception {
        AgentServer server = AgentServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        // the test harness and scripts read the port from here when they asked for port 0
        System.out.println("listening on " + server.port());
        System.out.flush();
        server.awaitTermination();
    }
}
