package dev.kompact.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the EventBridge events the interruption queue receives, one method per kind, as EventBridge documents them
 * ({@code detail-type}, {@code time}, {@code detail.instance-id}).
 */
final class InterruptionEvents {

  static final String SPOT_INTERRUPTION = "EC2 Spot Instance Interruption Warning";
  static final String REBALANCE = "EC2 Instance Rebalance Recommendation";
  static final String STATE_CHANGE = "EC2 Instance State-change Notification";
  private static final Duration SPOT_WARNING = Duration.ofMinutes(2);

  private final ObjectMapper json = new ObjectMapper();

  /** Empty for well-formed events of other kinds, which the queue's rules may also route here. */
  Optional<InterruptionNotice> parse(String body) throws MalformedNoticeException {
    JsonNode event;
    try {
      event = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedNoticeException("not JSON: " + e.getOriginalMessage(), e);
    }
    String kind = text(event, "detail-type");
    return switch (kind) {
      case SPOT_INTERRUPTION -> Optional.of(spotInterruption(event));
      case REBALANCE -> Optional.of(rebalance(event));
      case STATE_CHANGE -> Optional.of(stateChange(event));
      default -> Optional.empty();
    };
  }

  private static InterruptionNotice spotInterruption(JsonNode event) throws MalformedNoticeException {
    return new InterruptionNotice.SpotInterruption(instanceId(event), time(event).plus(SPOT_WARNING));
  }

  private static InterruptionNotice rebalance(JsonNode event) throws MalformedNoticeException {
    return new InterruptionNotice.RebalanceRecommendation(instanceId(event), time(event));
  }

  private static InterruptionNotice stateChange(JsonNode event) throws MalformedNoticeException {
    return new InterruptionNotice.StateChange(instanceId(event), text(event.path("detail"), "state"), time(event));
  }

  private static String instanceId(JsonNode event) throws MalformedNoticeException {
    return text(event.path("detail"), "instance-id");
  }

  private static Instant time(JsonNode event) throws MalformedNoticeException {
    String time = text(event, "time");
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new MalformedNoticeException("\"time\" is \"" + time + "\", not an ISO-8601 instant", e);
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
