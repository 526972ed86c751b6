package dev.kompact.executor.testing;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRUD store plus what the API server does for {@code certificates.k8s.io/v1} that the mock does not: it records
 * who asked (the requester's {@code spec.username} and token {@code spec.extra}, from the bearer token the request
 * came with, as authentication would), and serves the {@code /approval} subresource as an update of the object.
 */
public final class CsrApiStandIn extends KubernetesCrudDispatcher {
    private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    public record Requester(String username, Map<String, List<String>> extra) {}

    private final Map<String, Requester> byToken = new ConcurrentHashMap<>();

    public void token(String token, Requester requester) {
        byToken.put(token, requester);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath().replaceFirst("\\?.*", "");
        if ("POST".equals(request.getMethod()) && path.equals(CSRS)) {
            CertificateSigningRequest csr =
                    Serialization.unmarshal(request.getUtf8Body(), CertificateSigningRequest.class);
            Requester requester = byToken.get(
                    String.valueOf(request.getHeader("Authorization")).replaceFirst("^Bearer ", ""));
            // whatever the body says, the API server writes who authenticated
            csr.getSpec().setUsername(requester == null ? "system:anonymous" : requester.username());
            csr.getSpec().setExtra(requester == null ? Map.of() : requester.extra());
            return super.dispatch(rewritten(request, path, Serialization.asJson(csr)));
        }
        if ("PUT".equals(request.getMethod()) && path.startsWith(CSRS + "/") && path.endsWith("/approval")) {
            return super.dispatch(
                    rewritten(request, path.substring(0, path.length() - "/approval".length()), request.getUtf8Body()));
        }
        return super.dispatch(request);
    }

    private static RecordedRequest rewritten(RecordedRequest request, String path, String body) {
        return new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                path,
                request.getHeaders(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }
}
