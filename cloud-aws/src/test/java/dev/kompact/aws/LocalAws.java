package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * AWS on 127.0.0.1: WireMock answering EC2's query protocol (form-encoded POST, XML answer) and SQS's JSON protocol
 * with documents shaped as the API references show them, for the real SDK to talk to.
 */
final class LocalAws implements AutoCloseable {

    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    final WireMockServer server;

    /** @param extensions answer with state, as {@link LocalEnis} does */
    LocalAws(Extension... extensions) {
        server = new WireMockServer(
                options().dynamicPort().bindAddress("127.0.0.1").extensions(extensions));
        server.start();
    }

    /** Fast retries so tests of backoff take milliseconds; three attempts in all. */
    AwsSettings aws() {
        return AwsSettings.forRegion("us-east-1")
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .withEndpoint(URI.create("http://127.0.0.1:" + server.port()))
                .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20));
    }

    static MappingBuilder action(String action) {
        return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
    }

    void answer(MappingBuilder request, String xml) {
        server.stubFor(request.willReturn(xml(200, xml)));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody(body);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody(body);
    }

    static String error(String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
    }

    /** The form parameters of every call of {@code action}, in order. */
    List<Map<String, String>> calls(String action) {
        return server
                .findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&")))
                .stream()
                .map(r -> form(r.getBodyAsString()))
                .toList();
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    @Override
    public void close() {
        server.stop();
    }
}
