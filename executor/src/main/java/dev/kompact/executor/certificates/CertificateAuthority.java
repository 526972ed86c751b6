package dev.kompact.executor.certificates;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * The release's CA for the agents' and the controller's mutual TLS. Its key lives only in a Secret only the
 * controller may read, made on the controller's first start (two replicas starting at once: the second reads the
 * first's); agents get the certificate alone from a ConfigMap of the same name.
 */
public final class CertificateAuthority {
    static final String CERTIFICATE_KEY = "ca.crt";
    static final String PRIVATE_KEY_KEY = "ca.key";
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** The CA in Secret {@code name}, made there if absent; its certificate published in ConfigMap {@code name}. */
    public static CertificateAuthority loadOrCreate(KubernetesClient client, String namespace, String name) {
        var secrets = client.secrets().inNamespace(namespace);
        Secret existing = secrets.withName(name).get();
        if (existing == null) {
            CertificateAuthority made = create(name);
            try {
                secrets.resource(new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                                .withType("Opaque")
                                .addToData(CERTIFICATE_KEY, base64(pem(made.certificate)))
                                .addToData(PRIVATE_KEY_KEY, base64(pem(made.key)))
                                .build())
                        .create();
                existing = secrets.withName(name).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = secrets.withName(name).get();
            }
        }
        CertificateAuthority authority = fromSecret(existing, namespace + "/" + name);
        client.configMaps()
                .inNamespace(namespace)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .addToData(CERTIFICATE_KEY, authority.certificatePem())
                        .build())
                .createOr(c -> c.update());
        return authority;
    }

    static CertificateAuthority create(String name) {
        try {
            KeyPair pair = newKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, RANDOM),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(CA_LIFETIME)),
                    subject,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the agents' CA: " + e.getMessage(), e);
        }
    }

    /**
     * A leaf certificate for {@code publicKey}: exactly the given URI and IP subject alternative names, for server
     * and client authentication, valid from now for {@code lifetime}.
     */
    public X509Certificate issue(
            PublicKey publicKey, String commonName, String uri, List<String> ips, Duration lifetime) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    certificate,
                    new BigInteger(64, RANDOM),
                    // a little back-dated: the peers' clocks are not exactly the controller's
                    Date.from(now.minus(Duration.ofMinutes(1))),
                    Date.from(now.plus(lifetime)),
                    new X500Name("CN=" + commonName),
                    publicKey);
            GeneralName[] names = new GeneralName[1 + ips.size()];
            names[0] = new GeneralName(GeneralName.uniformResourceIdentifier, uri);
            for (int i = 0; i < ips.size(); i++) {
                names[i + 1] = new GeneralName(GeneralName.iPAddress, ips.get(i));
            }
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            return sign(builder, key);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate for " + uri + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return pem(certificate);
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static String pem(Object object) {
        if (object instanceof PrivateKey key) {
            // PKCS#8, as TlsFiles reads keys
            try {
                object = new JcaPKCS8Generator(key, null).generate();
            } catch (PemGenerationException e) {
                throw new IllegalStateException(e);
            }
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static CertificateAuthority fromSecret(Secret secret, String where) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String certificate = data.get(CERTIFICATE_KEY);
        String key = data.get(PRIVATE_KEY_KEY);
        if (certificate == null || key == null) {
            throw new IllegalStateException("Secret " + where + " must hold " + CERTIFICATE_KEY + " and "
                    + PRIVATE_KEY_KEY + " (the agents' CA); delete it and the controller makes a new one");
        }
        try (PEMParser certs = new PEMParser(new StringReader(decode(certificate)));
                PEMParser keys = new PEMParser(new StringReader(decode(key)))) {
            X509Certificate cert =
                    new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) certs.readObject());
            Object parsed = keys.readObject();
            PrivateKey privateKey = parsed instanceof PEMKeyPair pair
                    ? new JcaPEMKeyConverter().getKeyPair(pair).getPrivate()
                    : new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parsed);
            return new CertificateAuthority(cert, privateKey);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("Secret " + where + " is not a PEM CA certificate and key: " + e, e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
