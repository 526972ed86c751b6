package dev.kompact.executor.execution;

import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Map;

/**
 * A standard five-field cron expression (minute, hour, day of month, month, day of week; lists, ranges, steps and
 * the @-macros), evaluated per minute. As in cron, when both day fields are restricted either may match.
 */
final class CronSchedule {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly",
            "0 0 1 1 *",
            "@annually",
            "0 0 1 1 *",
            "@monthly",
            "0 0 1 * *",
            "@weekly",
            "0 0 * * 0",
            "@daily",
            "0 0 * * *",
            "@midnight",
            "0 0 * * *",
            "@hourly",
            "0 * * * *");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String[] fields, String field) {
        minutes = parse(fields[0], 0, 59, field);
        hours = parse(fields[1], 0, 23, field);
        daysOfMonth = parse(fields[2], 1, 31, field);
        months = parse(fields[3], 1, 12, field);
        daysOfWeek = parse(fields[4], 0, 7, field);
        if (daysOfWeek.get(7)) {
            daysOfWeek.set(0);
        }
        anyDayOfMonth = fields[2].equals("*");
        anyDayOfWeek = fields[4].equals("*");
    }

    /** @param field where the expression came from, for the error message */
    static CronSchedule parse(String expression, String field) {
        String text = MACROS.getOrDefault(expression.trim(), expression.trim());
        String[] fields = text.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(field + " \"" + expression + "\" is not a cron expression: it needs five"
                    + " fields (minute hour day-of-month month day-of-week), e.g. \"0 9 * * 1-5\"");
        }
        return new CronSchedule(fields, field + " \"" + expression + "\"");
    }

    /** Whether the schedule fires in the minute of {@code time}. */
    boolean firesAt(ZonedDateTime time) {
        if (!minutes.get(time.getMinute()) || !hours.get(time.getHour()) || !months.get(time.getMonthValue())) {
            return false;
        }
        boolean dayOfMonth = daysOfMonth.get(time.getDayOfMonth());
        boolean dayOfWeek = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dayOfMonth && dayOfWeek;
        }
        return dayOfMonth || dayOfWeek;
    }

    private static BitSet parse(String text, int min, int max, String field) {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max, field);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", 2);
                from = number(bounds[0], min, max, field);
                to = number(bounds[1], min, max, field);
            } else {
                from = number(range, min, max, field);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw new IllegalArgumentException(field + ": range " + range + " runs backwards");
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, String field) {
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" is not a number from " + min + " to " + max);
        }
    }
}
