package dev.kompact.cli;

import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.executor.certificates.AgentCertificates;
import dev.kompact.executor.certificates.BuiltinCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code kompact controller}'s built-in certificates; the chart's {@code certificates.mode=builtin} passes them. */
final class SignerOptions {

    @Option(
            names = "--sign-agent-certificates",
            description = "approve and sign the agents' certificate requests (certificates.k8s.io, signer "
                    + AgentCertificates.SIGNER + ") with the release's CA, kept in Secret --ca-name in the"
                    + " --lease-namespace; write the controller's own identity into --tls-dir")
    boolean sign;

    @Option(
            names = "--ca-name",
            paramLabel = "NAME",
            defaultValue = "kompact-ca",
            description = "Secret holding the CA (made on the first start), and ConfigMap publishing its certificate"
                    + " to the agents (default: ${DEFAULT-VALUE})")
    String caName;

    @Option(
            names = "--agent-service-account",
            paramLabel = "NAME",
            defaultValue = "kompact-agent",
            description = "the only service account (in the --lease-namespace) whose requests are signed"
                    + " (default: ${DEFAULT-VALUE})")
    String agentServiceAccount;

    @Option(
            names = "--certificate-lifetime",
            paramLabel = "DURATION",
            defaultValue = "2160h",
            converter = DurationConverter.class,
            description = "how long the certificates it signs are valid; renewed at two thirds of it"
                    + " (default: ${DEFAULT-VALUE})")
    Duration lifetime;

    @Option(
            names = "--tls-dir",
            paramLabel = "DIR",
            defaultValue = "/var/run/kompact/tls",
            description = "where the controller's own tls.crt, tls.key and ca.crt are written"
                    + " (default: ${DEFAULT-VALUE})")
    Path tlsDir;

    Optional<BuiltinCertificates.Settings> settings(String namespace) {
        if (!sign) {
            return Optional.empty();
        }
        if (lifetime.compareTo(Duration.ofMinutes(10)) < 0) {
            // certificates.k8s.io refuses a requested expirationSeconds under 600, so agents could not ask for less
            throw new IllegalArgumentException("--certificate-lifetime must be at least 10m, got " + lifetime);
        }
        return Optional.of(new BuiltinCertificates.Settings(
                namespace,
                caName,
                agentServiceAccount,
                lifetime,
                new TlsFiles(tlsDir.resolve("tls.crt"), tlsDir.resolve("tls.key"), tlsDir.resolve("ca.crt"))));
    }
}
