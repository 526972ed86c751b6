package dev.kompact.executor.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.executor.cluster.IntOrStrings;
import dev.kompact.executor.cluster.Pods;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock server's CRUD store plus a stand-in for the API server's {@code pods/eviction} subresource, which the
 * mock does not implement (it answers 409 and deletes nothing). Like the real one, it refuses with 429 when a
 * PodDisruptionBudget covering a Ready pod allows no disruption, and otherwise deletes the pod. Before deleting,
 * it hands the pod to {@link #beforeEviction} so a test can check invariants at the moment of disruption. A pod's
 * DELETE with a UID precondition is checked as the API server checks it (the mock ignores preconditions).
 */
public final class EvictionApiStandIn extends KubernetesCrudDispatcher {

    private static final Pattern EVICTION = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction.*");
    private static final Pattern POD = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)(\\?.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int failWith;
    private volatile BiConsumer<Pod, List<Pod>> beforeEviction = (pod, namespacePods) -> {};

    /** Eviction requests received so far, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** Answers every eviction with this status code from now on (a broken webhook: 500, RBAC: 403); 0 stops it. */
    public void failWith(int code) {
        this.failWith = code;
    }

    /** {@code check} gets the pod about to be evicted and every pod of its namespace. */
    public void beforeEviction(BiConsumer<Pod, List<Pod>> check) {
        this.beforeEviction = check;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Matcher m = EVICTION.matcher(request.getPath());
        if ("POST".equals(request.getMethod()) && m.matches()) {
            requests.incrementAndGet();
            if (failWith != 0) {
                return status(failWith, failWith == 403 ? "Forbidden" : "InternalError", "refused by the test");
            }
            synchronized (this) {
                return evict(m.group(1), m.group(2), preconditionUid(request));
            }
        }
        Matcher pod = POD.matcher(request.getPath());
        if ("DELETE".equals(request.getMethod()) && pod.matches()) {
            synchronized (this) {
                return delete(request, pod.group(1), pod.group(2));
            }
        }
        return super.dispatch(request);
    }

    private MockResponse delete(RecordedRequest request, String namespace, String name) {
        String uid = uid(request.getUtf8Body(), "/preconditions/uid");
        MockResponse found = handleGet("/api/v1/namespaces/" + namespace + "/pods/" + name);
        if (uid != null
                && found.code() == 200
                && !uid.equals(read(found, Pod.class).getMetadata().getUid())) {
            return status(409, "Conflict", "Precondition failed: UID in precondition: " + uid);
        }
        return super.dispatch(request);
    }

    private static String preconditionUid(RecordedRequest request) {
        return uid(request.getBody().readUtf8(), "/deleteOptions/preconditions/uid");
    }

    private static String uid(String body, String pointer) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode uid = JSON.readTree(body).at(pointer);
            return uid.isTextual() ? uid.asText() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MockResponse evict(String namespace, String name, String uid) {
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
        MockResponse found = handleGet(podPath);
        if (found.code() != 200) {
            return status(404, "NotFound", "pods \"" + name + "\" not found");
        }
        Pod pod = read(found, Pod.class);
        if (uid != null && !uid.equals(pod.getMetadata().getUid())) {
            // what the API server answers when the Preconditions' UID names another pod of the same name
            return status(
                    409,
                    "Conflict",
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                            + pod.getMetadata().getUid());
        }
        List<Pod> siblings = read(handleGet("/api/v1/namespaces/" + namespace + "/pods"), PodList.class)
                .getItems();
        if (Pods.isReady(pod)) {
            List<PodDisruptionBudget> budgets = read(
                            handleGet("/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets"),
                            PodDisruptionBudgetList.class)
                    .getItems();
            for (PodDisruptionBudget pdb : budgets) {
                if (matches(pdb.getSpec().getSelector(), pod.getMetadata().getLabels()) && allowed(pdb, siblings) < 1) {
                    return status(
                            429,
                            "TooManyRequests",
                            "Cannot evict pod as it would violate the pod's disruption budget.");
                }
            }
        }
        beforeEviction.accept(pod, siblings);
        handleDelete(podPath);
        return status(201, "Success", "");
    }

    /** The disruption controller's arithmetic, for integer budgets (all the tests use). */
    private static int allowed(PodDisruptionBudget pdb, List<Pod> pods) {
        List<Pod> covered = pods.stream()
                .filter(p ->
                        matches(pdb.getSpec().getSelector(), p.getMetadata().getLabels()))
                .toList();
        long healthy = covered.stream().filter(Pods::isReady).count();
        String min = IntOrStrings.text(pdb.getSpec().getMinAvailable());
        if (min != null) {
            return (int) (healthy - Integer.parseInt(min));
        }
        int maxUnavailable = Integer.parseInt(IntOrStrings.text(pdb.getSpec().getMaxUnavailable()));
        return (int) (maxUnavailable - (covered.size() - healthy));
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return selector != null
                && selector.getMatchLabels() != null
                && labels != null
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static <T> T read(MockResponse response, Class<T> type) {
        try {
            return JSON.readValue(response.getBody().readUtf8(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse status(int code, String reason, String message) {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"" + (code < 300 ? "Success" : "Failure")
                + "\",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\",\"code\":" + code + "}";
        return new MockResponse().setResponseCode(code).setBody(body).setHeader("Content-Type", "application/json");
    }
}
