package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class LoggingOptionsTest {

    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @AfterEach
    void restoreBundledConfiguration() throws Exception {
        System.setErr(realErr);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void controllerLogsInfoLinesByDefault() {
        String logged = logWith(new String[0]);

        assertThat(logged).contains("INFO").contains("plan created").doesNotContain("solver phase");
    }

    @Test
    void jsonFormatWritesOneObjectPerLine() throws Exception {
        String logged = logWith(new String[] {"--log-format", "json"});

        JsonNode line = new ObjectMapper().readTree(logged.lines().findFirst().orElseThrow());
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).isEqualTo("plan created");
    }

    @Test
    void warnLevelSilencesInfo() {
        String logged = logWith(new String[] {"--log-level", "warn"});

        assertThat(logged).isEmpty();
    }

    @Test
    void oneShotCommandsKeepTheBundledWarnLevel() {
        assertThat(LoggerFactory.getLogger("dev.kompact").isInfoEnabled()).isFalse();
    }

    @Test
    void unknownLevelIsABadFlag() {
        StringWriter err = new StringWriter();
        CommandLine cli = Kompact.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("controller", "--log-level", "loud");

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString()).contains("'loud' is not a log level");
    }

    private String logWith(String[] flags) {
        LoggingOptions options = CommandLine.populateCommand(new Flags(), flags).logging;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        options.apply();
        LoggerFactory.getLogger("dev.kompact.executor").info("plan created");
        LoggerFactory.getLogger("ai.timefold.solver").info("solver phase");
        return captured.toString(StandardCharsets.UTF_8);
    }

    @CommandLine.Command
    static final class Flags {
        @CommandLine.Mixin
        LoggingOptions logging = new LoggingOptions();
    }
}
