package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SQS's JSON protocol as the AWS API reference shows it: the requests a test stubs, and what it answers. */
final class SqsResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsResponses() {}

    static MappingBuilder sqs(String action) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS." + action));
    }

    /** A ReceiveMessage answer carrying {@code bodies}, receipt handles {@code handle-0}, {@code handle-1}, ... */
    static String messages(String... bodies) throws Exception {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode messages = response.putArray("Messages");
        for (int i = 0; i < bodies.length; i++) {
            messages.addObject()
                    .put("MessageId", "5fea7756-0ea4-451a-a703-a558b933e27" + i)
                    .put("ReceiptHandle", "handle-" + i)
                    // the SDK checks each body against its MD5, as SQS sends it
                    .put(
                            "MD5OfBody",
                            HexFormat.of()
                                    .formatHex(MessageDigest.getInstance("MD5")
                                            .digest(bodies[i].getBytes(StandardCharsets.UTF_8))))
                    .put("Body", bodies[i]);
        }
        return JSON.writeValueAsString(response);
    }

    /** The receipt handles of the DeleteMessage calls the server saw, in order. */
    static List<String> deletedHandles(WireMockServer server) throws Exception {
        List<String> handles = new ArrayList<>();
        for (var request : server.findAll(
                postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS.DeleteMessage")))) {
            handles.add(JSON.readTree(request.getBodyAsString())
                    .get("ReceiptHandle")
                    .asText());
        }
        return handles;
    }
}
