package dev.kompact.agent.tls;

import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key, chain and CA of a {@link TlsFiles}, re-read when one of the files changes. Every TLS handshake asks
 * {@link #current()}, so a rotated certificate is served and presented from the next connection on, with no restart;
 * connections already open keep the pair they were made with. A replacement that cannot be read (a key that does
 * not match its chain, a missing file) keeps the pair in use, and says why once.
 */
final class ReloadingTls {
    private static final Logger log = LoggerFactory.getLogger(ReloadingTls.class);
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private record Snapshot(
            List<String> stamp, X509Certificate leaf, X509ExtendedKeyManager keys, X509ExtendedTrustManager trust) {}

    private final TlsFiles files;
    private volatile Snapshot current;
    private volatile Snapshot previous;
    private List<String> lastRefused = List.of();
    private int generation;

    ReloadingTls(TlsFiles files) {
        this.files = files;
        this.current = load(stamp());
        this.previous = current;
    }

    X509ExtendedKeyManager keyManager() {
        return new Keys();
    }

    X509ExtendedTrustManager trustManager() {
        return new Trust();
    }

    private Snapshot current() {
        List<String> stamp = stamp();
        if (!stamp.equals(current.stamp())) {
            reload(stamp);
        }
        return current;
    }

    private synchronized void reload(List<String> stamp) {
        if (stamp.equals(current.stamp()) || stamp.equals(lastRefused)) {
            return;
        }
        try {
            Snapshot loaded = load(stamp);
            previous = current;
            current = loaded;
            log.info(
                    "TLS identity {} reloaded: serial {}, valid until {}",
                    files.certificateChain(),
                    loaded.leaf().getSerialNumber().toString(16),
                    loaded.leaf().getNotAfter());
        } catch (RuntimeException e) {
            lastRefused = stamp;
            log.warn("TLS identity {} changed but cannot be used; keeping the previous one: {}", files, e.getMessage());
        }
    }

    /** What identifies the files' contents: each file's resolved path, size and modification time. */
    private List<String> stamp() {
        List<String> stamp = new ArrayList<>();
        for (Path file : List.of(files.certificateChain(), files.privateKey(), files.trustedCa())) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamp.add(file.toRealPath() + " " + attributes.size() + " " + attributes.lastModifiedTime());
            } catch (IOException e) {
                stamp.add(file + " unreadable");
            }
        }
        return stamp;
    }

    private Snapshot load(List<String> stamp) {
        TlsIdentity identity = TlsIdentity.read(files.certificateChain(), files.privateKey());
        try (InputStream ca = Files.newInputStream(files.trustedCa())) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            // a new alias per pair: a TLS provider caching key material by alias never serves the old one
            keyStore.setKeyEntry("identity-" + ++generation, identity.key(), IN_MEMORY, identity.chain());
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            X509Certificate[] authorities = CertificateUtils.getX509Certificates(ca);
            for (int i = 0; i < authorities.length; i++) {
                trusted.setCertificateEntry("ca-" + i, authorities[i]);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
            keys.init(keyStore, IN_MEMORY);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            return new Snapshot(
                    stamp,
                    identity.chain()[0],
                    (X509ExtendedKeyManager) keys.getKeyManagers()[0],
                    (X509ExtendedTrustManager) trust.getTrustManagers()[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load TLS CA " + files.trustedCa() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "TLS identity " + files + " is not a usable PEM chain, PKCS#8 key and CA: " + e.getMessage(), e);
        }
    }

    private final class Keys extends X509ExtendedKeyManager {
        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return current().keys().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current().keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return current().keys().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current().keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return current().keys().getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current().keys().getServerAliases(keyType, issuers);
        }

        // the alias was chosen from the current pair, or from the one before if a reload came in between
        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            X509Certificate[] chain = current.keys().getCertificateChain(alias);
            return chain != null ? chain : previous.keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey key = current.keys().getPrivateKey(alias);
            return key != null ? key : previous.keys().getPrivateKey(alias);
        }
    }

    private final class Trust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current().trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current().trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current().trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current().trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current().trust().getAcceptedIssuers();
        }
    }
}
