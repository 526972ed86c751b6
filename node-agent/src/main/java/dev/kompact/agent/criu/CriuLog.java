package dev.kompact.agent.criu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CRIU log file: every line CRIU writes at -v4 starts with the time since CRIU started, "(SS.uuuuuu)". How long
 * CRIU itself took splits a freeze into CRIU's share and what the runtime and the agent add around it.
 */
public final class CriuLog {
    private static final Pattern STAMP = Pattern.compile("^\\((\\d+)\\.(\\d{6})\\)");

    private CriuLog() {}

    /** Milliseconds from CRIU's start to its latest line so far; empty if there is no such log or no stamped line. */
    public static OptionalLong elapsedMillis(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher stamp = STAMP.matcher(lines.get(i));
            if (stamp.find()) {
                return OptionalLong.of(Long.parseLong(stamp.group(1)) * 1000 + Long.parseLong(stamp.group(2)) / 1000);
            }
        }
        return OptionalLong.empty();
    }

    /** The last few Error lines, joined: why CRIU failed, in its own words (runc says only that it did). */
    public static String errors(Path log) {
        try {
            List<String> errors = Files.readAllLines(log).stream()
                    .filter(l -> l.contains("Error") && !l.contains("RLIMIT_NOFILE"))
                    .toList();
            return errors.isEmpty()
                    ? "no error in " + log
                    : String.join(" | ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
        } catch (IOException e) {
            return "no CRIU log at " + log;
        }
    }
}
