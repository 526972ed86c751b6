package dev.kompact.agent.tls;

import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** A private key and the certificate chain it belongs to, read as one pair. */
record TlsIdentity(PrivateKey key, X509Certificate[] chain) {
    private static final int ATTEMPTS = 3;
    private static final byte[] PROBE = "kompact-key-pair-check".getBytes(StandardCharsets.UTF_8);

    /**
     * Reads the pair. When both files are links through {@code ..data} (as {@link KeyPairFiles} and the kubelet's
     * Secret volumes lay them out), {@code ..data} is resolved once and both are read from that one directory, so a
     * replacement in between cannot mix two pairs. A key that does not sign for the chain's first certificate is
     * refused, naming both files.
     */
    static TlsIdentity read(Path chain, Path key) {
        for (int attempt = 1; ; attempt++) {
            try {
                Path[] pair = resolve(chain, key);
                TlsIdentity identity = parse(pair[0], pair[1]);
                identity.checkKeyBelongsToCertificate(chain, key);
                return identity;
            } catch (NoSuchFileException e) {
                // the pair resolved was deleted by a replacement since: a newer one is there
                if (attempt == ATTEMPTS || !Files.exists(chain.toAbsolutePath().resolveSibling(KeyPairFiles.DATA))) {
                    throw new UncheckedIOException(
                            "cannot read TLS identity " + chain + ", " + key + ": " + e.getMessage() + " is missing",
                            e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read TLS identity " + chain + ", " + key + ": " + e, e);
            }
        }
    }

    private static Path[] resolve(Path chain, Path key) throws IOException {
        Path dir = key.toAbsolutePath().getParent();
        if (dir.equals(chain.toAbsolutePath().getParent()) && throughData(chain) && throughData(key)) {
            Path data = dir.resolve(KeyPairFiles.DATA).toRealPath();
            return new Path[] {data.resolve(chain.getFileName()), data.resolve(key.getFileName())};
        }
        return new Path[] {chain, key};
    }

    private static boolean throughData(Path file) throws IOException {
        return Files.isSymbolicLink(file)
                && Files.readSymbolicLink(file)
                        .equals(Path.of(KeyPairFiles.DATA).resolve(file.getFileName()));
    }

    private static TlsIdentity parse(Path chain, Path key) throws IOException {
        try (InputStream chainIn = Files.newInputStream(chain);
                InputStream keyIn = Files.newInputStream(key)) {
            X509Certificate[] certificates = CertificateUtils.getX509Certificates(chainIn);
            if (certificates.length == 0) {
                throw new IllegalArgumentException(chain + " holds no PEM certificate");
            }
            return new TlsIdentity(CertificateUtils.getPrivateKey(keyIn), certificates);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "TLS identity " + chain + ", " + key + " is not a PEM chain and PKCS#8 key: " + e.getMessage(), e);
        }
    }

    private void checkKeyBelongsToCertificate(Path chainFile, Path keyFile) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(chain[0].getPublicKey());
            verifier.update(PROBE);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another kind than the certificate's: not its pair either
        }
        throw new IllegalArgumentException("the key in " + keyFile + " does not belong to the certificate in "
                + chainFile + " (" + chain[0].getSubjectX500Principal() + ")");
    }
}
