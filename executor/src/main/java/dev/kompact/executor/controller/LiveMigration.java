package dev.kompact.executor.controller;

import dev.kompact.agent.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the controller reaches the node agents when live migration is on: its mutual-TLS identity (a directory holding
 * {@code tls.crt}, {@code tls.key} and {@code ca.crt}, as a cert-manager Secret mounts) and the labels of the agents'
 * DaemonSet pods in the controller's namespace.
 */
public record LiveMigration(TlsFiles identity, Map<String, String> agentSelector) {

    /**
     * @param selector {@code key=value[,key=value...]}, e.g. {@code app.kubernetes.io/component=agent}
     * @throws IllegalArgumentException naming the missing file or the malformed label
     */
    public static LiveMigration of(Path tlsDirectory, String selector) {
        return issued(
                new TlsFiles(
                        readable(tlsDirectory, "tls.crt"),
                        readable(tlsDirectory, "tls.key"),
                        readable(tlsDirectory, "ca.crt")),
                selector);
    }

    /**
     * With the identity the controller's built-in signer issues itself: its files appear when the signer starts.
     *
     * @throws IllegalArgumentException naming the malformed label
     */
    public static LiveMigration issued(TlsFiles identity, String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0
                    || equals == pair.length() - 1
                    || labels.containsKey(pair.substring(0, equals).trim())) {
                throw new IllegalArgumentException("agent selector " + selector + ": \"" + pair
                        + "\" is not key=value (or repeats a key); e.g. app.kubernetes.io/component=agent");
            }
            labels.put(
                    pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return new LiveMigration(identity, Map.copyOf(labels));
    }

    private static Path readable(Path directory, String file) {
        Path path = directory.resolve(file);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("live migration needs the controller's TLS identity: " + path
                    + " is missing or unreadable (mount the controller's certificate Secret at " + directory + ")");
        }
        return path;
    }
}
