package dev.kompact.agent;

import dev.kompact.agent.tls.TlsFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one node agent until killed. Flags ({@code --name value}):
 * <pre>
 *   --node NAME                    this node's name (required)
 *   --port N                       gRPC port (required; 0 picks one, printed as "listening on PORT")
 *   --listen HOST                  address to bind (gRPC, and post-copy page relays), default 127.0.0.1
 *   --state-dir DIR                migrations in progress and restored bundles (required)
 *   --runc-root DIR                runc's --root for this node's containers (required)
 *   --pod-bridge NAME              bridge that pod veths join (required)
 *   --name-prefix P                pod namespaces are /run/netns/P-NODE-CONTAINER, cgroups /P/NODE/CONTAINER; default
 *                                  kompact
 *   --tls-cert, --tls-key, --tls-ca PEM files: this agent's certificate and PKCS#8 key, and the CA (required)
 *   --max-image-bytes N            largest image accepted from another agent, default 8 GiB
 *   --max-image-entries N          most files, directories and links in one migration's image, default 1000000
 *   --transfer-bytes-per-second N  cap on outgoing image streams and post-copy pages, default 0 (unlimited)
 *   --libcriu PATH, --criu PATH    default /usr/local/lib/libcriu.so.2 and /usr/local/sbin/criu
 * </pre>
 * The single {@code kompact agent} command wraps this once the CLI exists.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = parse(args);
        AgentConfig config = new AgentConfig(
                required(flags, "node"),
                flags.getOrDefault("listen", "127.0.0.1"),
                Integer.parseInt(required(flags, "port")),
                Path.of(required(flags, "state-dir")),
                Path.of(required(flags, "runc-root")),
                required(flags, "pod-bridge"),
                flags.getOrDefault("name-prefix", AgentConfig.DEFAULT_NAME_PREFIX),
                new TlsFiles(
                        Path.of(required(flags, "tls-cert")),
                        Path.of(required(flags, "tls-key")),
                        Path.of(required(flags, "tls-ca"))),
                Long.parseLong(
                        flags.getOrDefault("max-image-bytes", String.valueOf(AgentConfig.DEFAULT_MAX_IMAGE_BYTES))),
                Long.parseLong(
                        flags.getOrDefault("max-image-entries", String.valueOf(AgentConfig.DEFAULT_MAX_IMAGE_ENTRIES))),
                Long.parseLong(flags.getOrDefault("transfer-bytes-per-second", "0")),
                Path.of(flags.getOrDefault("libcriu", AgentConfig.DEFAULT_LIBCRIU.toString())),
                Path.of(flags.getOrDefault("criu", AgentConfig.DEFAULT_CRIU.toString())));
        AgentServer server = AgentServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        // the test harness and scripts read the port from here when they asked for port 0
        System.out.println("listening on " + server.port());
        System.out.flush();
        server.awaitTermination();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --flag value pairs, got '" + args[i] + "'; see AgentMain");
            }
            flags.put(args[i].substring(2), args[++i]);
        }
        return flags;
    }

    private static String required(Map<String, String> flags, String name) {
        String value = flags.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "missing required flag --" + name + "; see kompact agent --help for all flags");
        }
        return value;
    }
}
