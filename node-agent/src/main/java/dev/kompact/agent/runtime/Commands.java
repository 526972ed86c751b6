package dev.kompact.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's tools (runc, ip, arping). Output goes to a file, not a pipe: {@code runc run -d} and
 * {@code runc restore -d} hand their stdio to the container, and a pipe would never reach end of file.
 */
public final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);

    private Commands() {}

    public static Result run(Duration timeout, List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("kompact-cmd", ".log");
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8).strip();
            log.debug(
                    "{} -> {} in {} ms: {}",
                    command,
                    process.exitValue(),
                    (System.nanoTime() - start) / 1_000_000,
                    output);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new CommandException(
                    "cannot run " + command.get(0) + " (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    /** Runs and throws with the tool's own words when it fails. */
    public static String check(Duration timeout, String... command) {
        Result result = run(timeout, command);
        if (result.exitCode() != 0) {
            throw new CommandException(
                    String.join(" ", command) + " failed (exit " + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }

    public record Result(int exitCode, String output) {}
}
