package dev.kompact.executor.execution;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes users write them: "90s", "5m", "1h30m", "250ms". */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private GoDurations() {}

    public static Duration parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is empty; write a duration such as 30s, 5m or 1h");
        }
        Matcher m = PART.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
            end = m.end();
        }
        if (end != text.trim().length() || total.isZero()) {
            throw new IllegalArgumentException(
                    field + " \"" + text + "\" is not a duration; write one such as 30s, 5m" + " or 1h");
        }
        return total;
    }
}
