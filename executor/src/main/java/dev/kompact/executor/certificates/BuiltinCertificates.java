package dev.kompact.executor.certificates;

import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.TlsFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's part of built-in certificates ({@code kompact controller --sign-agent-certificates}, the chart's
 * {@code certificates.mode=builtin}):
 * <ol>
 *   <li>the release's CA is loaded from its Secret, or made there on the first start ({@link CertificateAuthority});
 *   <li>the controller's own identity ({@value PeerIdentity#CONTROLLER}) is issued from it into its TLS files, the CA
 *       beside them, and issued again with a new key at two thirds of its lifetime;
 *   <li>while this replica leads, the agents' pending CSRs are decided every poll ({@link AgentCertificateSigner}).
 * </ol>
 * Only the leader signs: two replicas approving one request would race on its resourceVersion.
 */
public final class BuiltinCertificates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BuiltinCertificates.class);

    /**
     * @param namespace the release namespace: the CA's Secret and ConfigMap, and the agents' service account
     * @param caName the CA's Secret and ConfigMap
     * @param identity where the controller's own key, certificate and the CA are written
     */
    public record Settings(
            String namespace, String caName, String agentServiceAccount, Duration lifetime, TlsFiles identity) {}

    private final KubernetesClient client;
    private final Settings settings;
    private final BooleanSupplier leading;
    private final Duration poll;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kompact-certificates");
        thread.setDaemon(true);
        return thread;
    });
    private CertificateAuthority authority;
    private AgentCertificateSigner signer;
    private Instant renewOwnAt;

    public BuiltinCertificates(KubernetesClient client, Settings settings, BooleanSupplier leading, Duration poll) {
        this.client = client;
        this.settings = settings;
        this.leading = leading;
        this.poll = poll;
    }

    /** Loads or makes the CA and issues the controller's identity before returning; then signs in the background. */
    public synchronized void start() {
        authority = CertificateAuthority.loadOrCreate(client, settings.namespace(), settings.caName());
        signer = new AgentCertificateSigner(
                client, authority, settings.namespace(), settings.agentServiceAccount(), settings.lifetime());
        issueOwnIdentity();
        loop.scheduleWithFixedDelay(this::tick, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            if (!Instant.now().isBefore(renewOwnAt)) {
                issueOwnIdentity();
            }
            if (leading.getAsBoolean()) {
                signer.signPending();
            }
        } catch (RuntimeException e) {
            // the API server may be briefly unreachable: the next poll tries again
            log.warn("agent certificates: {}", e.toString());
        }
    }

    private void issueOwnIdentity() {
        try {
            KeyPair key = CertificateAuthority.newKeyPair();
            X509Certificate issued = authority.issue(
                    key.getPublic(), "kompact-controller", PeerIdentity.CONTROLLER, List.of(), settings.lifetime());
            TlsFiles files = settings.identity();
            replace(files.trustedCa(), authority.certificatePem());
            files.install(
                    CertificateAuthority.pem(key.getPrivate()),
                    CertificateAuthority.pem(issued) + authority.certificatePem());
            renewOwnAt = CertificateEnrollment.renewAt(issued);
            log.info(
                    "the controller's identity {} is in {}, valid until {}",
                    PeerIdentity.CONTROLLER,
                    files.certificateChain(),
                    issued.getNotAfter());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the controller's key: " + e.getMessage(), e);
        }
    }

    private static void replace(Path target, String content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".new");
            Files.writeString(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
