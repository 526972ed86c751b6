package dev.kompact.executor.certificates;

import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.TlsFiles;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's certificate from the controller's signer: the agent makes a new key on its node (it never leaves it),
 * asks for {@code spiffe://kompact/node/<node>} and the node's IPs in a CSR for {@value AgentCertificates#SIGNER},
 * waits for the signed certificate, and writes key and chain where its {@link TlsFiles} read them. It enrols again
 * at two thirds of the certificate's lifetime, with a new key.
 */
public final class CertificateEnrollment {
    private static final Logger log = LoggerFactory.getLogger(CertificateEnrollment.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final String node;
    private final List<String> ips;
    private final TlsFiles files;
    private final Duration lifetime;

    public CertificateEnrollment(
            KubernetesClient client, String node, List<String> ips, TlsFiles files, Duration lifetime) {
        if (lifetime.compareTo(Duration.ofMinutes(10)) < 0) {
            // certificates.k8s.io refuses expirationSeconds under 600
            throw new IllegalArgumentException("certificate lifetime must be at least 10m, got " + lifetime);
        }
        this.client = client;
        this.node = node;
        this.ips = List.copyOf(ips);
        this.files = files;
        this.lifetime = lifetime;
    }

    /** When a certificate is renewed: at two thirds of its lifetime. */
    public static Instant renewAt(X509Certificate certificate) {
        Instant from = certificate.getNotBefore().toInstant();
        Duration life = Duration.between(from, certificate.getNotAfter().toInstant());
        return from.plus(life.multipliedBy(2).dividedBy(3));
    }

    /** The certificate in the files, if they hold one for this node that is not yet due for renewal. */
    public boolean current(Instant now) {
        try (InputStream in = Files.newInputStream(files.certificateChain())) {
            X509Certificate[] chain = CertificateUtils.getX509Certificates(in);
            return chain.length > 0
                    && PeerIdentity.of(chain[0]).equals(Optional.of(PeerIdentity.agentOf(node)))
                    && now.isBefore(renewAt(chain[0]))
                    && Files.isRegularFile(files.privateKey());
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    /** When the certificate in the files is due for renewal; the epoch when they hold none for this node. */
    public Instant renewalDue() {
        try {
            X509Certificate held = files.certificate();
            return PeerIdentity.of(held).equals(Optional.of(PeerIdentity.agentOf(node)))
                    ? renewAt(held)
                    : Instant.EPOCH;
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** A new key and its signed certificate, written to the files; fails after {@code timeout} with the reason. */
    public X509Certificate enrol(Duration timeout) throws InterruptedException {
        KeyPair key;
        PKCS10CertificationRequest request;
        String name;
        try {
            key = CertificateAuthority.newKeyPair();
            request = request(key);
            name = AgentCertificates.csrName(node, fingerprint(key));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a key and certificate request: " + e.getMessage(), e);
        }
        client.certificates()
                .v1()
                .certificateSigningRequests()
                .resource(new CertificateSigningRequestBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withSignerName(AgentCertificates.SIGNER)
                        .withUsages(new ArrayList<>(AgentCertificates.USAGES))
                        .withExpirationSeconds((int) lifetime.toSeconds())
                        .withRequest(Base64.getEncoder()
                                .encodeToString(
                                        CertificateAuthority.pem(request).getBytes(StandardCharsets.UTF_8)))
                        .endSpec()
                        .build())
                .create();
        log.info("asked the controller for the certificate of node {} ({})", node, name);
        String chain = awaitCertificate(name, timeout);
        write(CertificateAuthority.pem(key.getPrivate()), chain);
        X509Certificate leaf = parse(chain)[0];
        log.info(
                "node {} holds a new certificate, valid until {}, renewed from {}",
                node,
                leaf.getNotAfter(),
                renewAt(leaf));
        return leaf;
    }

    private String awaitCertificate(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CertificateSigningRequest csr = client.certificates()
                    .v1()
                    .certificateSigningRequests()
                    .withName(name)
                    .get();
            if (csr != null && csr.getStatus() != null) {
                Optional<CertificateSigningRequestCondition> denied =
                        Optional.ofNullable(csr.getStatus().getConditions()).orElse(List.of()).stream()
                                .filter(c -> "Denied".equals(c.getType()) || "Failed".equals(c.getType()))
                                .findFirst();
                if (denied.isPresent()) {
                    throw new IllegalStateException("certificate request " + name + " was "
                            + denied.get().getType().toLowerCase() + ": "
                            + denied.get().getMessage());
                }
                if (csr.getStatus().getCertificate() != null
                        && !csr.getStatus().getCertificate().isEmpty()) {
                    return new String(
                            Base64.getDecoder().decode(csr.getStatus().getCertificate()), StandardCharsets.UTF_8);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("certificate request " + name + " not signed within " + timeout
                        + ": is the Kompact controller running, and does its RBAC let it approve and sign for "
                        + AgentCertificates.SIGNER + "?");
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
    }

    private PKCS10CertificationRequest request(KeyPair key)
            throws IOException, OperatorCreationException, java.net.UnknownHostException {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, PeerIdentity.NODE_PREFIX + node));
        for (String ip : ips) {
            names.add(new GeneralName(
                    GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
        }
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(
                Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=kompact-agent:" + node), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    /** Key and chain as one pair: a reader sees the old pair or the new one, never a new key with an old chain. */
    private void write(String keyPem, String chainPem) {
        files.install(keyPem, chainPem);
    }

    private static X509Certificate[] parse(String chain) {
        try {
            return CertificateUtils.getX509Certificates(
                    new ByteArrayInputStream(chain.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signer returned no readable certificate: " + e.getMessage(), e);
        }
    }

    private static String fingerprint(KeyPair key) throws GeneralSecurityException {
        byte[] digest =
                MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded());
        return HexFormat.of().formatHex(digest, 0, 5);
    }
}
