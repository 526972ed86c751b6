package dev.kompact.cli;

import dev.kompact.agent.AgentConfig;
import dev.kompact.executor.certificates.AgentCertificates;
import dev.kompact.executor.certificates.CertificateEnrollment;
import dev.kompact.executor.certificates.CertificateRenewal;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code kompact agent}'s built-in certificates; the chart's {@code certificates.mode=builtin} passes them. */
final class EnrolmentOptions {

    @Option(
            names = "--enrol",
            description = "before serving, get this node's certificate from the controller (certificates.k8s.io,"
                    + " signer " + AgentCertificates.SIGNER + ") into --tls-cert and --tls-key, with a key made here;"
                    + " renew it at two thirds of its lifetime. The API server is reached as in a pod (its service"
                    + " account token) or through $KUBECONFIG")
    boolean enrol;

    @Option(
            names = "--node-ip",
            paramLabel = "IP",
            description = "an address of this node for the certificate (repeatable); the controller signs only"
                    + " addresses the Node has")
    List<String> nodeIps = new ArrayList<>();

    @Option(
            names = "--certificate-lifetime",
            paramLabel = "DURATION",
            defaultValue = "2160h",
            converter = DurationConverter.class,
            description = "the lifetime asked for (default: ${DEFAULT-VALUE})")
    Duration lifetime;

    @Option(
            names = "--enrol-timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "how long to wait for the controller to sign (default: ${DEFAULT-VALUE})")
    Duration timeout;

    /** Enrols (when asked) before returning; the renewal then runs for the life of the process. */
    Optional<CertificateRenewal> start(AgentConfig config) throws InterruptedException {
        if (!enrol) {
            return Optional.empty();
        }
        if (lifetime.compareTo(Duration.ofMinutes(10)) < 0) {
            // certificates.k8s.io refuses a requested expirationSeconds under 600
            throw new IllegalArgumentException("--certificate-lifetime must be at least 10m, got " + lifetime);
        }
        var client = new KubernetesClientBuilder().build();
        return Optional.of(CertificateRenewal.start(
                new CertificateEnrollment(client, config.nodeName(), nodeIps, config.tls(), lifetime), timeout));
    }
}
