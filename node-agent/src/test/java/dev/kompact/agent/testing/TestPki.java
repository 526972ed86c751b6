package dev.kompact.agent.testing;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A throw-away CA and identities signed by it, made with the openssl CLI; valid for 127.0.0.1 and localhost, each
 * naming its Kompact identity in a URI subject alternative name ({@link PeerIdentity}).
 */
public final class TestPki {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Path dir;
    private final Path ca;
    private final Path caKey;

    private TestPki(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca.key");
    }

    /** @param name distinguishes CAs in one directory */
    public static TestPki create(Path dir, String name) throws IOException {
        Path own = Files.createDirectories(dir.resolve(name));
        TestPki pki = new TestPki(own);
        Commands.check(
                TIMEOUT,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                pki.caKey.toString(),
                "-out",
                pki.ca.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name);
        return pki;
    }

    public Path caCertificate() {
        return ca;
    }

    /** "controller" is the controller's identity; any other name is the agent of that node. */
    public TlsFiles issue(String name) {
        return issue(name, name.equals("controller") ? PeerIdentity.CONTROLLER : PeerIdentity.NODE_PREFIX + name);
    }

    /** @param identity the URI subject alternative name; empty for a certificate naming no Kompact identity */
    public TlsFiles issue(String name, String identity) {
        Path ext = dir.resolve(name + ".cnf");
        try {
            Files.writeString(
                    ext,
                    "subjectAltName=IP:127.0.0.1,DNS:localhost" + (identity.isEmpty() ? "" : ",URI:" + identity)
                            + "\nextendedKeyUsage=serverAuth,clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Commands.check(
                TIMEOUT,
                "openssl",
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=" + name);
        Commands.check(
                TIMEOUT,
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-extfile",
                ext.toString());
        return new TlsFiles(cert, key, ca);
    }
}
