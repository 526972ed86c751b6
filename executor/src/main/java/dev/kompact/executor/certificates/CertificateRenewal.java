package dev.kompact.executor.certificates;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an agent's certificate current ({@code kompact agent --enrol}): before the agent serves, it enrols unless the
 * files already hold a certificate for its node that is not yet due; then it enrols again, with a new key, at two
 * thirds of each certificate's lifetime. A failed renewal is retried every {@link #RETRY} while the old certificate
 * still lasts; the agent's TLS picks each new pair up from the files without a restart.
 */
public final class CertificateRenewal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);
    static final Duration RETRY = Duration.ofMinutes(1);

    private final Thread thread;

    private CertificateRenewal(Thread thread) {
        this.thread = thread;
    }

    /** Returns once the files hold a current certificate; fails after {@code timeout} with the signer's reason. */
    public static CertificateRenewal start(CertificateEnrollment enrollment, Duration timeout)
            throws InterruptedException {
        if (!Instant.now().isBefore(enrollment.renewalDue())) {
            enrollment.enrol(timeout);
        }
        Thread thread = new Thread(() -> renewForever(enrollment, timeout), "kompact-certificate-renewal");
        thread.setDaemon(true);
        thread.start();
        return new CertificateRenewal(thread);
    }

    private static void renewForever(CertificateEnrollment enrollment, Duration timeout) {
        try {
            while (true) {
                Duration wait = Duration.between(Instant.now(), enrollment.renewalDue());
                if (!wait.isNegative()) {
                    Thread.sleep(wait.toMillis());
                }
                try {
                    enrollment.enrol(timeout);
                } catch (RuntimeException e) {
                    log.warn("renewing this node's certificate failed, again in {}: {}", RETRY, e.getMessage());
                    Thread.sleep(RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
