package dev.kompact.aws;

import dev.kompact.executor.cloud.InterruptionNotice;
import dev.kompact.executor.cloud.InterruptionNotices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The SQS queue EventBridge feeds with EC2 interruption events. A message is deleted once its notice is handled;
 * a handler that throws leaves it on the queue, so SQS delivers it again after the visibility timeout. Malformed
 * messages and events of other kinds are logged and deleted: nothing would ever read them.
 */
public final class InterruptionQueue implements InterruptionNotices {

    private static final Logger log = LoggerFactory.getLogger(InterruptionQueue.class);
    // the longest long-poll SQS allows: fewest empty receives
    private static final int WAIT_SECONDS = 20;
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final InterruptionEvents events = new InterruptionEvents();

    public InterruptionQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * One long poll; returns how many notices {@code handler} took. A message naming several instances (an AWS Health
     * event) is deleted only once every one of them is handled.
     */
    @Override
    public int poll(Handler handler) {
        Map<Message, List<InterruptionNotice>> received = new LinkedHashMap<>();
        for (Message message : receive()) {
            try {
                List<InterruptionNotice> notices = events.parse(message.body());
                if (notices.isEmpty()) {
                    log.debug("dropping message {}: not an interruption event", message.messageId());
                    delete(message);
                } else {
                    received.put(message, notices);
                }
            } catch (MalformedNoticeException e) {
                log.warn("dropping malformed message {} from {}: {}", message.messageId(), queueUrl, e.getMessage());
                delete(message);
            }
        }
        if (received.isEmpty()) {
            return 0;
        }
        handler.heard(received.values().stream().flatMap(List::stream).toList());
        int handled = 0;
        for (var message : received.entrySet()) {
            try {
                message.getValue().forEach(handler::handle);
            } catch (RuntimeException e) {
                log.warn(
                        "handling {} failed; SQS will deliver message {} again",
                        message.getValue(),
                        message.getKey().messageId(),
                        e);
                continue;
            }
            delete(message.getKey());
            handled += message.getValue().size();
        }
        return handled;
    }

    private List<Message> receive() {
        try {
            return sqs.receiveMessage(r ->
                            r.queueUrl(queueUrl).waitTimeSeconds(WAIT_SECONDS).maxNumberOfMessages(BATCH))
                    .messages();
        } catch (AwsServiceException e) {
            throw new AwsRequestException("ReceiveMessage from " + queueUrl, e);
        }
    }

    private void delete(Message message) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (AwsServiceException e) {
            // not fatal: the message comes back after its visibility timeout and is handled again
            log.warn(
                    "cannot delete message {} from {}: {} (request id {})",
                    message.messageId(),
                    queueUrl,
                    AwsRequestException.errorCode(e),
                    e.requestId());
        }
    }
}
