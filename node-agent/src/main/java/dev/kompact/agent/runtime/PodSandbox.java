package dev.kompact.agent.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * What a container of a containerd pod sandbox legitimately shares with it, for {@link MigrationBundleRules}: the
 * files containerd's CRI writes for the sandbox (hosts, hostname, resolv.conf, the /dev/shm directory), bind-mounted
 * from .../io.containerd.grpc.v1.cri/sandboxes/ID/, and the ipc, uts and network namespaces of the sandbox's pause
 * process. A bind source counts only if its real path stays in that directory: a symlink placed there that points
 * elsewhere on the node is refused.
 */
public record PodSandbox(String sandboxId, long pausePid) {
    public static final PodSandbox NONE = new PodSandbox("", -1);
    private static final String SANDBOXES = "/io.containerd.grpc.v1.cri/sandboxes/";
    private static final Set<String> SHARED = Set.of("ipc", "uts", "network");

    boolean owns(String source) {
        if (this == NONE || sandboxId.isEmpty()) {
            return false;
        }
        String marker = SANDBOXES + sandboxId + "/";
        int at = source.indexOf(marker);
        if (at < 0 || source.contains("/../")) {
            return false;
        }
        try {
            Path dir = Path.of(source.substring(0, at + marker.length())).toRealPath();
            return Path.of(source).toRealPath().startsWith(dir)
                    && dir.toString().endsWith(SANDBOXES + sandboxId);
        } catch (IOException e) {
            return false;
        }
    }

    boolean shares(String type, String path) {
        return SHARED.contains(type)
                && path.equals("/proc/" + pausePid + "/ns/" + (type.equals("network") ? "net" : type));
    }
}
