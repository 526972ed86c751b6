package dev.kompact.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parts of an OCI bundle's config.json that change when a container moves to another node. */
public final class BundleConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode config;

    private BundleConfig(Path file, ObjectNode config) {
        this.file = file;
        this.config = config;
    }

    /** Never through a link: this agent reads and rewrites it as root, and a received bundle is anyone's. */
    public static BundleConfig read(Path bundle) {
        Path file = bundle.resolve("config.json");
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new BundleConfig(file, (ObjectNode) JSON.readTree(in));
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("cannot read OCI config " + file + ": " + e.getMessage(), e);
        }
    }

    /** The network namespace the container joins, when it joins an existing one (a pod's). */
    public Optional<Path> networkNamespace() {
        for (JsonNode ns : config.path("linux").path("namespaces")) {
            if ("network".equals(ns.path("type").asText()) && ns.hasNonNull("path")) {
                return Optional.of(Path.of(ns.get("path").asText()));
            }
        }
        return Optional.empty();
    }

    /**
     * The bind mounts from outside the bundle, as "source on destination": node-local content (a Kubernetes emptyDir or
     * hostPath volume, a runtime-written resolv.conf) that would not follow the container to another node.
     */
    public List<String> hostBindMounts() {
        Path bundle = file.getParent().toAbsolutePath().normalize();
        List<String> binds = new ArrayList<>();
        for (JsonNode mount : config.path("mounts")) {
            boolean bind = "bind".equals(mount.path("type").asText());
            for (JsonNode option : mount.path("options")) {
                bind |= "bind".equals(option.asText()) || "rbind".equals(option.asText());
            }
            Path source = Path.of(mount.path("source").asText());
            if (bind && source.isAbsolute() && !source.normalize().startsWith(bundle)) {
                binds.add(source + " on " + mount.path("destination").asText());
            }
        }
        return binds;
    }

    /** linux.maskedPaths: what the runtime hides from the container, a file under the node's /dev/null. */
    public Set<String> maskedPaths() {
        Set<String> paths = new HashSet<>();
        config.path("linux").path("maskedPaths").forEach(path -> paths.add(path.asText()));
        return paths;
    }

    public void setNetworkNamespace(Path path) {
        for (JsonNode ns : config.path("linux").path("namespaces")) {
            if ("network".equals(ns.path("type").asText())) {
                ((ObjectNode) ns).put("path", path.toString());
                return;
            }
        }
        throw new IllegalArgumentException(file + " has no network namespace to move");
    }

    /** Source and target copies coexist on one host while pages move: each node needs its own cgroup. */
    public void setCgroupsPath(String cgroupsPath) {
        JsonNode linux = config.get("linux");
        ObjectNode target = linux instanceof ObjectNode object ? object : config.putObject("linux");
        target.put("cgroupsPath", cgroupsPath);
    }

    /** The capabilities of one of process.capabilities' sets (bounding, effective, ...); none when it is absent. */
    public Set<String> capabilities(String set) {
        Set<String> names = new HashSet<>();
        config.path("process").path("capabilities").path(set).forEach(name -> names.add(name.asText()));
        return names;
    }

    public boolean noNewPrivileges() {
        return config.path("process").path("noNewPrivileges").asBoolean(false);
    }

    public boolean hasSeccomp() {
        return config.path("linux").hasNonNull("seccomp");
    }

    /** The OCI annotations: containerd's CRI names the pod and container there, and copies pod annotations in. */
    public Map<String, String> annotations() {
        Map<String, String> annotations = new LinkedHashMap<>();
        config.path("annotations")
                .fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return annotations;
    }

    /** linux.cgroupsPath: where the runtime put the container's processes; empty if the runtime chose. */
    public String cgroupsPath() {
        return config.path("linux").path("cgroupsPath").asText("");
    }

    /** The parsed config, for {@link MigrationBundleRules}. */
    JsonNode json() {
        return config;
    }

    public void write() {
        try (OutputStream out = Files.newOutputStream(
                file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
