package dev.kompact.agent.criu;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import dev.kompact.agent.v1.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What CRIU can do on this node: probed once through libcriu (JNA), because the answer depends on the kernel
 * (userfaultfd for lazy pages, soft-dirty bits for memory tracking), not on the criu version alone.
 *
 * @param version empty when CRIU is not usable here
 */
public record CriuCapabilities(String version, boolean lazyPages, boolean dirtyTracking) {
    private static final Logger log = LoggerFactory.getLogger(CriuCapabilities.class);

    /**
     * The migration strategies this node can run, best first: post-copy (shortest freeze: only the small image
     * moves while the pod is stopped), iterative pre-copy where the kernel tracks dirty pages (soft-dirty: the final
     * dump holds only what changed since the last pre-dump), stop-and-copy as the fallback.
     */
    public List<Strategy> strategies() {
        List<Strategy> strategies = new ArrayList<>();
        if (version.isEmpty()) {
            return strategies;
        }
        if (lazyPages) {
            strategies.add(Strategy.POST_COPY);
        }
        if (dirtyTracking) {
            strategies.add(Strategy.PRE_COPY);
        }
        strategies.add(Strategy.STOP_AND_COPY);
        return strategies;
    }

    public static CriuCapabilities probe(Path libcriu, Path criuBinary) {
        if (!Files.isRegularFile(libcriu) || !Files.isExecutable(criuBinary)) {
            log.warn(
                    "CRIU not usable on this node: {} or {} missing (run node-agent/scripts/install-test-deps.sh)",
                    libcriu,
                    criuBinary);
            return new CriuCapabilities("", false, false);
        }
        // loaded by absolute path: bookworm's criu package ships an older libcriu.so.2 on the default search path
        LibCriu lib = Native.load(libcriu.toString(), LibCriu.class);
        synchronized (CriuCapabilities.class) {
            if (lib.criu_init_opts() < 0) {
                log.warn("libcriu criu_init_opts failed: CRIU not usable on this node");
                return new CriuCapabilities("", false, false);
            }
            lib.criu_set_service_binary(criuBinary.toString());
            int v = lib.criu_get_version();
            if (v <= 0) {
                log.warn("{} --version failed through libcriu ({}): CRIU not usable on this node", criuBinary, v);
                return new CriuCapabilities("", false, false);
            }
            String version = (v / 10000) + "." + (v / 100 % 100) + "." + (v % 100);
            LibCriu.FeatureCheck features = new LibCriu.FeatureCheck();
            features.memTrack = 1;
            features.lazyPages = 1;
            int rc = lib.criu_feature_check(features, new NativeLong(features.size()));
            if (rc != 0) {
                log.warn("criu feature check failed ({}): assuming neither lazy pages nor dirty tracking", rc);
                return new CriuCapabilities(version, false, false);
            }
            return new CriuCapabilities(version, features.lazyPages != 0, features.memTrack != 0);
        }
    }
}
