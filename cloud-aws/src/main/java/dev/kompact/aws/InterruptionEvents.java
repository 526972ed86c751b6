package dev.kompact.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.executor.cloud.InterruptionNotice;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the EventBridge events the interruption queue receives, one method per kind, as EventBridge documents them
 * ({@code detail-type}, {@code time}, {@code detail.instance-id}; for AWS Health, {@code detail.affectedEntities}).
 */
final class InterruptionEvents {

    static final String SPOT_INTERRUPTION = "EC2 Spot Instance Interruption Warning";
    static final String REBALANCE = "EC2 Instance Rebalance Recommendation";
    static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    static final String HEALTH = "AWS Health Event";
    private static final String SCHEDULED_CHANGE = "scheduledChange";
    private static final Duration SPOT_WARNING = Duration.ofMinutes(2);

    private final ObjectMapper json = new ObjectMapper();

    /** Empty for well-formed events of other kinds, which the queue's rules may also route here. */
    List<InterruptionNotice> parse(String body) throws MalformedNoticeException {
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedNoticeException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (event == null || !event.isObject()) {
            throw new MalformedNoticeException("not a JSON object");
        }
        String kind = text(event, "detail-type");
        return switch (kind) {
            case SPOT_INTERRUPTION -> List.of(spotInterruption(event));
            case REBALANCE -> List.of(rebalance(event));
            case STATE_CHANGE -> List.of(stateChange(event));
            case HEALTH -> scheduledChanges(event);
            default -> List.of();
        };
    }

    private static InterruptionNotice spotInterruption(JsonNode event) throws MalformedNoticeException {
        return new InterruptionNotice.SpotInterruption(
                instanceId(event), time(event, "time").plus(SPOT_WARNING));
    }

    private static InterruptionNotice rebalance(JsonNode event) throws MalformedNoticeException {
        return new InterruptionNotice.RebalanceRecommendation(instanceId(event), time(event, "time"));
    }

    private static InterruptionNotice stateChange(JsonNode event) throws MalformedNoticeException {
        return new InterruptionNotice.StateChange(
                instanceId(event), text(event.path("detail"), "state"), time(event, "time"));
    }

    /**
     * One notice per affected instance of an EC2 scheduled change (retirement, maintenance reboot or stop), due at the
     * event's start time. Other Health events (issues, account notifications, other services) are not for Kompact.
     */
    private static List<InterruptionNotice> scheduledChanges(JsonNode event) throws MalformedNoticeException {
        JsonNode detail = event.path("detail");
        if (!"EC2".equals(text(detail, "service")) || !SCHEDULED_CHANGE.equals(text(detail, "eventTypeCategory"))) {
            return List.of();
        }
        String eventType = text(detail, "eventTypeCode");
        Instant start = time(detail, "startTime");
        JsonNode entities = detail.path("affectedEntities");
        if (!entities.isArray()) {
            throw new MalformedNoticeException("field \"affectedEntities\" is missing or not an array");
        }
        List<InterruptionNotice> notices = new ArrayList<>();
        for (JsonNode entity : entities) {
            String id = text(entity, "entityValue");
            // scheduled changes may also name volumes or hosts; only instances hold pods
            if (id.startsWith("i-")) {
                notices.add(new InterruptionNotice.ScheduledChange(id, eventType, start));
            }
        }
        return notices;
    }

    private static String instanceId(JsonNode event) throws MalformedNoticeException {
        return text(event.path("detail"), "instance-id");
    }

    /** EventBridge's own times are ISO-8601; AWS Health writes its start and end times as RFC 1123. */
    private static Instant time(JsonNode node, String field) throws MalformedNoticeException {
        String time = text(node, field);
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException notIso) {
            try {
                return ZonedDateTime.parse(time, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                throw new MalformedNoticeException(
                        "\"" + field + "\" is \"" + time + "\", not an ISO-8601 or RFC 1123 time", e);
            }
        }
    }

    private static String text(JsonNode node, String field) throws MalformedNoticeException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedNoticeException("field \"" + field + "\" is missing or not a string");
        }
        return value.asText();
    }
}
