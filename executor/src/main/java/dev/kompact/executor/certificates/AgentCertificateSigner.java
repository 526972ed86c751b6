package dev.kompact.executor.certificates;

import dev.kompact.agent.tls.PeerIdentity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's signer {@value AgentCertificates#SIGNER} on {@code certificates.k8s.io/v1}. For each CSR naming it
 * that is neither approved nor denied yet:
 * <ol>
 *   <li>the requester must be the agents' service account;
 *   <li>the node the requester runs on is the one its bound token names ({@code authentication.kubernetes.io/node-name}
 *       in {@code spec.extra}, Kubernetes 1.30 and later), or else the {@code spec.nodeName} of the pod the token
 *       names (pod name and UID, both checked);
 *   <li>the request must be a validly self-signed PKCS#10 whose subject alternative names are exactly
 *       {@code spiffe://kompact/node/<that node>} and, optionally, IP addresses of that Node, with exactly
 *       {@link AgentCertificates#USAGES};
 *   <li>then it is approved and signed by the release's CA for the configured lifetime; otherwise denied with the
 *       reason.
 * </ol>
 * A certificate therefore names only the node its key was made on, and no request field can make it name another.
 */
public final class AgentCertificateSigner {
    private static final Logger log = LoggerFactory.getLogger(AgentCertificateSigner.class);
    // the JDK's providers look key factories up by name, not by the OID a request names its key by
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private final KubernetesClient client;
    private final CertificateAuthority authority;
    private final String agentUser;
    private final Duration lifetime;

    /**
     * @param agentNamespace and {@code agentServiceAccount}: the only requester whose CSRs are signed
     */
    public AgentCertificateSigner(
            KubernetesClient client,
            CertificateAuthority authority,
            String agentNamespace,
            String agentServiceAccount,
            Duration lifetime) {
        this.client = client;
        this.authority = authority;
        this.agentUser = "system:serviceaccount:" + agentNamespace + ":" + agentServiceAccount;
        this.lifetime = lifetime;
    }

    /** Decides every pending CSR for this signer once; returns how many it approved. */
    public int signPending() {
        int approved = 0;
        for (CertificateSigningRequest csr :
                client.certificates().v1().certificateSigningRequests().list().getItems()) {
            if (AgentCertificates.SIGNER.equals(csr.getSpec().getSignerName()) && undecided(csr)) {
                approved += decide(csr) ? 1 : 0;
            }
        }
        return approved;
    }

    private boolean decide(CertificateSigningRequest csr) {
        String name = csr.getMetadata().getName();
        Request request;
        try {
            request = check(csr);
        } catch (Refused e) {
            log.warn("denied certificate request {}: {}", name, e.getMessage());
            client.certificates()
                    .v1()
                    .certificateSigningRequests()
                    .withName(name)
                    .deny(condition("Denied", "KompactAgentPolicy", e.getMessage()));
            return false;
        }
        client.certificates()
                .v1()
                .certificateSigningRequests()
                .withName(name)
                .approve(condition(
                        "Approved", "KompactAgentPolicy", "the agent of node " + request.node + " asks for its own"));
        X509Certificate issued = authority.issue(
                request.publicKey,
                "kompact-agent:" + request.node,
                PeerIdentity.NODE_PREFIX + request.node,
                request.ips,
                lifetime);
        CertificateSigningRequest signed = client.certificates()
                .v1()
                .certificateSigningRequests()
                .withName(name)
                .get();
        signed.getStatus()
                .setCertificate(Base64.getEncoder()
                        .encodeToString((CertificateAuthority.pem(issued) + authority.certificatePem())
                                .getBytes(StandardCharsets.UTF_8)));
        client.certificates().v1().certificateSigningRequests().resource(signed).updateStatus();
        log.info("signed the certificate of node {} ({}), valid until {}", request.node, name, issued.getNotAfter());
        return true;
    }

    private record Request(String node, PublicKey publicKey, List<String> ips) {}

    private Request check(CertificateSigningRequest csr) throws Refused {
        var spec = csr.getSpec();
        if (!agentUser.equals(spec.getUsername())) {
            throw new Refused("requested by " + spec.getUsername() + ", not the agents' service account " + agentUser);
        }
        String node = requesterNode(spec.getExtra() == null ? Map.of() : spec.getExtra());
        Set<String> usages = new HashSet<>(spec.getUsages() == null ? List.of() : spec.getUsages());
        if (!usages.equals(AgentCertificates.USAGES)) {
            throw new Refused("usages " + usages + " are not exactly " + AgentCertificates.USAGES);
        }
        PKCS10CertificationRequest pkcs10 = parse(spec.getRequest());
        List<String> uris = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (GeneralName san : subjectAlternativeNames(pkcs10)) {
            switch (san.getTagNo()) {
                case GeneralName.uniformResourceIdentifier ->
                    uris.add(san.getName().toString());
                case GeneralName.iPAddress -> ips.add(ipOf(san));
                default -> throw new Refused("asks for a subject alternative name other than a URI or IP: " + san);
            }
        }
        String expected = PeerIdentity.NODE_PREFIX + node;
        if (!uris.equals(List.of(expected))) {
            throw new Refused("asks for URI names " + uris + "; the requester runs on node " + node
                    + " and may ask for exactly " + expected);
        }
        Set<String> nodeIps = nodeAddresses(node);
        for (String ip : ips) {
            if (!nodeIps.contains(ip)) {
                throw new Refused("asks for IP " + ip + ", which is not an address of node " + node + " " + nodeIps);
            }
        }
        return new Request(node, publicKey(pkcs10), ips);
    }

    /** Agents make P-256 keys; any other kind of key is refused. */
    private static PublicKey publicKey(PKCS10CertificationRequest pkcs10) throws Refused {
        try {
            return KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(
                            pkcs10.getSubjectPublicKeyInfo().getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new Refused("its public key is not an EC key: " + e.getMessage());
        }
    }

    private String requesterNode(Map<String, List<String>> extra) throws Refused {
        List<String> nodeName = extra.get(AgentCertificates.NODE_NAME_EXTRA);
        if (nodeName != null && nodeName.size() == 1) {
            return nodeName.get(0);
        }
        List<String> podName = extra.get(AgentCertificates.POD_NAME_EXTRA);
        List<String> podUid = extra.get(AgentCertificates.POD_UID_EXTRA);
        if (podName == null || podName.size() != 1 || podUid == null || podUid.size() != 1) {
            throw new Refused("the requester's token names no node and no pod (use a bound service account token)");
        }
        String namespace = agentUser.split(":")[2];
        Pod pod = client.pods().inNamespace(namespace).withName(podName.get(0)).get();
        if (pod == null || !podUid.get(0).equals(pod.getMetadata().getUid())) {
            throw new Refused("the requesting pod " + namespace + "/" + podName.get(0) + " (uid " + podUid.get(0)
                    + ") does not exist");
        }
        if (pod.getSpec().getNodeName() == null) {
            throw new Refused("the requesting pod " + podName.get(0) + " is not bound to a node");
        }
        return pod.getSpec().getNodeName();
    }

    private Set<String> nodeAddresses(String node) throws Refused {
        Node found = client.nodes().withName(node).get();
        if (found == null) {
            throw new Refused("node " + node + " does not exist");
        }
        Set<String> ips = new HashSet<>();
        List<NodeAddress> addresses = found.getStatus() == null
                ? List.of()
                : Optional.ofNullable(found.getStatus().getAddresses()).orElse(List.of());
        for (NodeAddress address : addresses) {
            if (address.getType().endsWith("IP")) {
                ips.add(address.getAddress());
            }
        }
        return ips;
    }

    private static PKCS10CertificationRequest parse(String request) throws Refused {
        try (PEMParser parser = new PEMParser(
                new StringReader(new String(Base64.getDecoder().decode(request), StandardCharsets.UTF_8)))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest pkcs10)) {
                throw new Refused("spec.request is not a PEM CERTIFICATE REQUEST");
            }
            if (!pkcs10.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(BOUNCY_CASTLE)
                    .build(publicKey(pkcs10)))) {
                throw new Refused("the request's signature does not verify with its own key");
            }
            return pkcs10;
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("spec.request cannot be read: " + e.getMessage());
        } catch (OperatorCreationException | PKCSException e) {
            throw new Refused("the request's signature cannot be checked: " + e.getMessage());
        }
    }

    private static GeneralName[] subjectAlternativeNames(PKCS10CertificationRequest pkcs10) throws Refused {
        var attributes = pkcs10.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (attributes.length == 0) {
            return new GeneralName[0];
        }
        Extensions extensions =
                Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
        for (var oid : extensions.getExtensionOIDs()) {
            if (!oid.equals(Extension.subjectAlternativeName)) {
                // the certificate's extensions are the signer's to choose; a request asking for others asks for more
                throw new Refused("asks for extension " + oid + "; only subject alternative names may be requested");
            }
        }
        GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        return names == null ? new GeneralName[0] : names.getNames();
    }

    private static String ipOf(GeneralName san) throws Refused {
        try {
            byte[] raw = org.bouncycastle.asn1.DEROctetString.getInstance(san.getName())
                    .getOctets();
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (IOException e) {
            throw new Refused("an IP subject alternative name is malformed");
        }
    }

    private static boolean undecided(CertificateSigningRequest csr) {
        return csr.getStatus() == null
                || csr.getStatus().getConditions() == null
                || csr.getStatus().getConditions().stream()
                        .noneMatch(c -> "Approved".equals(c.getType()) || "Denied".equals(c.getType()));
    }

    private static CertificateSigningRequestCondition condition(String type, String reason, String message) {
        return new CertificateSigningRequestConditionBuilder()
                .withType(type)
                .withStatus("True")
                .withReason(reason)
                .withMessage(message)
                .withLastUpdateTime(Instant.now().toString())
                .build();
    }

    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
