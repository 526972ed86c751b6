package dev.kompact.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * How the long-running commands log: INFO by default so that a user sees plans made and migrations frozen, text for
 * a terminal or JSON lines for a cluster's log pipeline. The one-shot commands keep the bundled WARN configuration
 * so that their output stays the report.
 */
final class LoggingOptions {

    enum Format {
        TEXT,
        JSON
    }

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            defaultValue = "info",
            converter = LevelConverter.class,
            description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE})")
    Level level = Level.INFO;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            converter = FormatConverter.class,
            description = "text or json: one JSON object a line (default: ${DEFAULT-VALUE})")
    Format format = Format.TEXT;

    /** Replaces the bundled configuration; logs go to stderr, as every other line the CLI writes for people. */
    void apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder(context));
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // Timefold logs every solver phase at INFO; one plan a round would bury the controller's own lines.
        context.getLogger("ai.timefold").setLevel(level.isGreaterOrEqual(Level.INFO) ? Level.WARN : level);
    }

    private Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (format == Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n");
        text.start();
        return text;
    }

    static final class LevelConverter implements picocli.CommandLine.ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            Level parsed = Level.toLevel(value, null);
            if (parsed == null || parsed == Level.ALL || parsed == Level.OFF) {
                throw new IllegalArgumentException(
                        "'" + value + "' is not a log level: use error, warn, info, debug or trace");
            }
            return parsed;
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not a log format: use text or json");
            }
        }
    }
}
