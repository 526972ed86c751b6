package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * picocli formats option descriptions as format strings: an unescaped {@code %} makes it warn on the JVM's own
 * stderr, past {@link CommandLine#setErr}, so the help is printed in a JVM of its own.
 */
class HelpTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandsHelpPrintsWithoutAWarning() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process help = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        EveryHelp.class.getName())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();

        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(Files.readString(err, StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        // the help wraps at 80 columns
        assertThat(Files.readString(out, StandardCharsets.UTF_8).replaceAll("\\s+", " "))
                .contains("within 1% of its lower bound")
                .contains("10% or cpu=10%,memory=20%");
    }

    /** Prints the help of every command and subcommand. */
    public static final class EveryHelp {
        public static void main(String[] args) {
            print(Kompact.commandLine());
        }

        private static void print(CommandLine command) {
            command.usage(System.out);
            command.getSubcommands().values().forEach(EveryHelp::print);
        }
    }
}
