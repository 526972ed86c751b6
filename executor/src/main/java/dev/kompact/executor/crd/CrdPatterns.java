package dev.kompact.executor.crd;

/**
 * The shapes the API server checks user-written fields against, so that a bad policy is refused with a message when
 * it is applied rather than found by the controller later. Each matches what the controller's parser accepts.
 */
final class CrdPatterns {

    /** As {@code GoDurations} reads them: "90s", "5m", "1h30m", "250ms". */
    static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

    static final long DURATION_LENGTH = 32;

    /** As {@code NodeBudget} reads them: a count ("2") or a percentage up to 100 ("10%"). */
    static final String COUNT_OR_PERCENT = "^([0-9]+|(100|[1-9]?[0-9])%)$";

    /** As {@code CronSchedule} reads them: five fields of numbers, lists, ranges and steps, or an @-macro. */
    static final String CRON = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
            + "|[0-9*,/-]+[ \\t]+[0-9*,/-]+[ \\t]+[0-9*,/-]+[ \\t]+[0-9*,/-]+[ \\t]+[0-9*,/-]+)$";

    /** RFC 3339 in UTC or with an offset, as {@code Instant.toString()} writes it. */
    static final String TIMESTAMP =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

    private CrdPatterns() {}
}
