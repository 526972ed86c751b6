package dev.kompact.executor.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** The cluster could not be read: says which server and kubeconfig were tried, why it failed, and what to do. */
public final class ClusterUnreachableException extends RuntimeException {

    public ClusterUnreachableException(String tried, KubernetesClientException cause) {
        super("cannot read the cluster at " + tried + ": " + reason(cause) + ". " + advice(cause), cause);
    }

    private static String reason(KubernetesClientException e) {
        if (e.getCode() == 401) {
            return "the credentials were refused (401)";
        }
        if (e.getCode() == 403) {
            return "access denied (403)";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof HttpTimeoutException) {
                return "timed out";
            }
            if (cause instanceof SSLException) {
                return "TLS failed (" + cause.getMessage() + ")";
            }
        }
        return e.getCode() > 0 ? "HTTP " + e.getCode() : String.valueOf(e.getMessage());
    }

    private static String advice(KubernetesClientException e) {
        if (e.getCode() == 401 || e.getCode() == 403) {
            return "Check that 'kubectl get nodes' works with the same kubeconfig and context";
        }
        return "Give --kubeconfig FILE (and --context NAME) for a cluster 'kubectl cluster-info' reaches, or convert"
                + " kubectl's output without any access: kompact snapshot --from-kubectl dump.json";
    }
}
