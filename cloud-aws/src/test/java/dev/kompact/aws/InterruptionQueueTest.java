package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.InterruptionNotice;
import dev.kompact.executor.cloud.InterruptionNotice.RebalanceRecommendation;
import dev.kompact.executor.cloud.InterruptionNotice.ScheduledChange;
import dev.kompact.executor.cloud.InterruptionNotice.SpotInterruption;
import dev.kompact.executor.cloud.InterruptionNotice.StateChange;
import dev.kompact.executor.cloud.InterruptionNotices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SQS's JSON protocol on 127.0.0.1, with EventBridge events shaped as the EC2 user guide shows them. */
class InterruptionQueueTest {

    private final LocalAws local = new LocalAws();
    private final SqsClient sqs = local.aws().sqs();
    private final String queueUrl = "http://127.0.0.1:" + local.server.port() + "/123456789012/kompact-interruptions";
    private final InterruptionQueue queue = new InterruptionQueue(sqs, queueUrl);
    private final List<InterruptionNotice> notices = new ArrayList<>();

    @AfterEach
    void stop() {
        sqs.close();
        local.close();
    }

    @Test
    void turnsASpotWarningIntoANoticeWithATwoMinuteDeadlineAndDeletesIt() throws Exception {
        receives(event(
                InterruptionEvents.SPOT_INTERRUPTION,
                "2026-11-24T12:00:00Z",
                "{\"instance-id\":\"i-0aaa111\",\"instance-action\":\"terminate\"}"));

        assertThat(queue.poll(notices::add)).isEqualTo(1);

        assertThat(notices).containsExactly(new SpotInterruption("i-0aaa111", Instant.parse("2026-11-24T12:02:00Z")));
        assertThat(SqsResponses.deletedHandles(local.server)).containsExactly("handle-0");
    }

    @Test
    void longPollsForABatch() throws Exception {
        receives();

        queue.poll(notices::add);

        local.server.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSQS.ReceiveMessage"))
                .withRequestBody(matchingJsonPath("$.WaitTimeSeconds", equalTo("20")))
                .withRequestBody(matchingJsonPath("$.MaxNumberOfMessages", equalTo("10")))
                .withRequestBody(matchingJsonPath("$.QueueUrl", equalTo(queueUrl))));
    }

    @Test
    void readsRebalanceRecommendationsAndStateChanges() throws Exception {
        receives(
                event(InterruptionEvents.REBALANCE, "2026-11-24T12:00:00Z", "{\"instance-id\":\"i-0aaa111\"}"),
                event(
                        InterruptionEvents.STATE_CHANGE,
                        "2026-11-24T12:01:00Z",
                        "{\"instance-id\":\"i-0bbb222\",\"state\":\"stopping\"}"));

        assertThat(queue.poll(notices::add)).isEqualTo(2);

        assertThat(notices)
                .containsExactly(
                        new RebalanceRecommendation("i-0aaa111", Instant.parse("2026-11-24T12:00:00Z")),
                        new StateChange("i-0bbb222", "stopping", Instant.parse("2026-11-24T12:01:00Z")));
    }

    @Test
    void tellsTheHandlerOfEveryNoticeOfAReceiveBeforeHandlingAny() throws Exception {
        receives(
                event(
                        InterruptionEvents.SPOT_INTERRUPTION,
                        "2026-11-24T12:00:00Z",
                        "{\"instance-id\":\"i-0aaa111\",\"instance-action\":\"terminate\"}"),
                "not json",
                event(
                        InterruptionEvents.SPOT_INTERRUPTION,
                        "2026-11-24T12:00:01Z",
                        "{\"instance-id\":\"i-0bbb222\",\"instance-action\":\"terminate\"}"));
        List<String> calls = new ArrayList<>();

        queue.poll(new InterruptionNotices.Handler() {
            @Override
            public void heard(List<InterruptionNotice> batch) {
                calls.add("heard "
                        + batch.stream().map(InterruptionNotice::instanceId).toList());
            }

            @Override
            public void handle(InterruptionNotice notice) {
                calls.add("handle " + notice.instanceId());
            }
        });

        assertThat(calls).containsExactly("heard [i-0aaa111, i-0bbb222]", "handle i-0aaa111", "handle i-0bbb222");
    }

    @Test
    void turnsAnEc2ScheduledChangeIntoANoticePerAffectedInstanceDueAtItsStart() throws Exception {
        receives(health(
                "EC2",
                "scheduledChange",
                "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
                "[{\"entityValue\":\"i-0aaa111\"},{\"entityValue\":\"i-0bbb222\"},{\"entityValue\":\"vol-0ccc333\"}]"));

        assertThat(queue.poll(notices::add)).isEqualTo(2);

        Instant start = Instant.parse("2026-11-30T07:00:00Z");
        assertThat(notices)
                .containsExactly(
                        new ScheduledChange("i-0aaa111", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", start),
                        new ScheduledChange("i-0bbb222", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", start));
        assertThat(notices).allSatisfy(n -> assertThat(n.evacuateBy()).contains(start));
        assertThat(SqsResponses.deletedHandles(local.server)).containsExactly("handle-0");
    }

    @Test
    void dropsHealthEventsThatAreNotEc2ScheduledChanges() throws Exception {
        receives(
                health("EC2", "issue", "AWS_EC2_OPERATIONAL_ISSUE", "[{\"entityValue\":\"i-0aaa111\"}]"),
                health("RDS", "scheduledChange", "AWS_RDS_MAINTENANCE_SCHEDULED", "[{\"entityValue\":\"db-1\"}]"));

        assertThat(queue.poll(notices::add)).isZero();

        assertThat(notices).isEmpty();
        assertThat(SqsResponses.deletedHandles(local.server)).containsExactlyInAnyOrder("handle-0", "handle-1");
    }

    @Test
    void dropsAHealthEventWithoutAReadableStartTime() throws Exception {
        receives(
                health(
                                "EC2",
                                "scheduledChange",
                                "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
                                "[{\"entityValue\":\"i-0aaa111\"}]")
                        .replace("Mon, 30 Nov 2026 07:00:00 GMT", "next week"),
                "[1, 2, 3]");

        assertThat(queue.poll(notices::add)).isZero();

        assertThat(SqsResponses.deletedHandles(local.server)).containsExactlyInAnyOrder("handle-0", "handle-1");
    }

    @Test
    void dropsMalformedMessagesAndHandlesTheRest() throws Exception {
        receives(
                "this is not json",
                event(
                        InterruptionEvents.SPOT_INTERRUPTION,
                        "2026-11-24T12:00:00Z",
                        "{\"instance-action\":\"terminate\"}"),
                event(InterruptionEvents.REBALANCE, "yesterday", "{\"instance-id\":\"i-0aaa111\"}"),
                event(InterruptionEvents.REBALANCE, "2026-11-24T12:00:00Z", "{\"instance-id\":\"i-0ccc333\"}"));

        assertThat(queue.poll(notices::add)).isEqualTo(1);

        assertThat(notices).extracting(InterruptionNotice::instanceId).containsExactly("i-0ccc333");
        assertThat(SqsResponses.deletedHandles(local.server))
                .containsExactlyInAnyOrder("handle-0", "handle-1", "handle-2", "handle-3");
    }

    @Test
    void dropsEventsOfOtherKinds() throws Exception {
        receives(event("EC2 AMI State Change", "2026-11-24T12:00:00Z", "{\"ImageId\":\"ami-0abc\"}"));

        assertThat(queue.poll(notices::add)).isZero();

        assertThat(notices).isEmpty();
        assertThat(SqsResponses.deletedHandles(local.server)).containsExactly("handle-0");
    }

    @Test
    void leavesAMessageOnTheQueueWhenItsHandlerFails() throws Exception {
        receives(event(InterruptionEvents.REBALANCE, "2026-11-24T12:00:00Z", "{\"instance-id\":\"i-0aaa111\"}"));

        int handled = queue.poll(notice -> {
            throw new IllegalStateException("executor is busy");
        });

        assertThat(handled).isZero();
        assertThat(SqsResponses.deletedHandles(local.server)).isEmpty();
    }

    private static String event(String detailType, String time, String detail) {
        return "{\"version\":\"0\",\"id\":\"1e5527d7-bb36-4607-3370-4164db56a40e\",\"detail-type\":\"" + detailType
                + "\",\"source\":\"aws.ec2\",\"account\":\"123456789012\",\"time\":\"" + time
                + "\",\"region\":\"us-east-1\","
                + "\"resources\":[\"arn:aws:ec2:us-east-1a:instance/i-0aaa111\"],\"detail\":" + detail + "}";
    }

    /** Shaped as the AWS Health user guide's EventBridge samples: RFC 1123 start time, entities by value. */
    private static String health(String service, String category, String eventType, String entities) {
        return "{\"version\":\"0\",\"id\":\"7bf73129-1428-4cd3-a780-95db273d1602\",\"detail-type\":\""
                + InterruptionEvents.HEALTH + "\",\"source\":\"aws.health\",\"account\":\"123456789012\","
                + "\"time\":\"2026-11-24T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[\"i-0aaa111\"],"
                + "\"detail\":{\"eventArn\":\"arn:aws:health:us-east-1::event/" + service + "/" + eventType + "/"
                + eventType
                + "_ABC123\",\"service\":\"" + service + "\",\"eventTypeCode\":\"" + eventType + "\","
                + "\"eventTypeCategory\":\"" + category + "\",\"eventScopeCode\":\"ACCOUNT_SPECIFIC\","
                + "\"startTime\":\"Mon, 30 Nov 2026 07:00:00 GMT\",\"endTime\":\"Mon, 30 Nov 2026 07:00:00 GMT\","
                + "\"statusCode\":\"upcoming\",\"eventRegion\":\"us-east-1\",\"eventDescription\":[{\"language\":"
                + "\"en_US\",\"latestDescription\":\"EC2 has detected degradation of the underlying hardware.\"}],"
                + "\"affectedEntities\":" + entities + "}}";
    }

    private void receives(String... bodies) throws Exception {
        local.server.stubFor(
                SqsResponses.sqs("ReceiveMessage").willReturn(LocalAws.json(SqsResponses.messages(bodies))));
        local.server.stubFor(SqsResponses.sqs("DeleteMessage").willReturn(LocalAws.json("{}")));
    }
}
