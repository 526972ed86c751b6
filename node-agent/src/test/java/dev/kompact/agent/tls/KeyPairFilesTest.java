package dev.kompact.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key and chain replaced as one pair; needs openssl to make the pairs. */
class KeyPairFilesTest {
    @TempDir
    Path dir;

    TestPki pki;
    TlsFiles files;

    @BeforeEach
    void pki() throws Exception {
        assumeTrue(
                HostTools.opensslMissing().isEmpty(),
                () -> HostTools.opensslMissing().orElseThrow());
        pki = TestPki.create(dir, "ca");
        files = new TlsFiles(dir.resolve("tls/tls.crt"), dir.resolve("tls/tls.key"), pki.caCertificate());
    }

    @Test
    void aReaderNeverSeesANewKeyWithTheOldChainWhileThePairIsReplaced() throws Exception {
        String[][] pairs = {pem(pki.issue("node-a")), pem(pki.issue("node-b"))};
        files.install(pairs[0][0], pairs[0][1]);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger replaced = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                String[] pair = pairs[replaced.incrementAndGet() % 2];
                files.install(pair[0], pair[1]);
            }
            writing.set(false);
        });

        int reads = 0;
        while (writing.get()) {
            // refused, naming both files, when the key is not the chain's own
            files.certificate();
            reads++;
        }
        writer.join();

        System.out.printf("KeyPairFilesTest: %d reads during %d replacements%n", reads, replaced.get());
        assertThat(replaced.get()).isGreaterThan(20);
        assertThat(reads).isGreaterThan(20);
        try (var versions = Files.list(dir.resolve("tls"))) {
            // the current pair and the one before it, for readers that resolved it just before the last swap
            assertThat(versions.filter(p -> p.getFileName().toString().matches("\\.\\.[0-9].*")))
                    .hasSize(2);
        }
    }

    @Test
    void aKeyThatIsNotTheChainsOwnIsRefusedNamingBothFiles() throws Exception {
        String[] a = pem(pki.issue("node-a"));
        String[] b = pem(pki.issue("node-b"));

        files.install(a[0], b[1]);

        assertThatThrownBy(() -> files.certificate())
                .hasMessageContaining("the key in " + files.privateKey())
                .hasMessageContaining("does not belong to the certificate in " + files.certificateChain());
    }

    @Test
    void keyIsReadableByItsOwnerOnly() throws Exception {
        String[] a = pem(pki.issue("node-a"));

        files.install(a[0], a[1]);

        assertThat(Files.getPosixFilePermissions(files.privateKey().toRealPath()))
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.readString(files.privateKey())).isEqualTo(a[0]);
    }

    /** key and chain PEM */
    private static String[] pem(TlsFiles issued) throws Exception {
        return new String[] {Files.readString(issued.privateKey()), Files.readString(issued.certificateChain())};
    }
}
