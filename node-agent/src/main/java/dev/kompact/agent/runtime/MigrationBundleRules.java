package dev.kompact.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the config.json of a bundle received from another node may ask for. The target cannot see the source pod, and
 * must not take the sending agent's word for what it was (that agent may be compromised), so it checks against a
 * bound it knows on its own: an unprivileged pod with the container runtimes' defaults. A bundle beyond it could run
 * anything as root on this node, so it is refused whatever the source says.
 *
 * <ul>
 *   <li>rootfs: "rootfs" inside the bundle, as the image stream carries it;</li>
 *   <li>mounts: only the kernel filesystems a runtime mounts for every container, never a bind mount (the source
 *       refuses to migrate pods that have them: their content would not follow);</li>
 *   <li>namespaces: pid, ipc, uts, mount and network of its own; none joined by path but the network one, which this
 *       agent replaces by the namespace it prepared;</li>
 *   <li>capabilities: within containerd's and Docker's default set, in every capability set;</li>
 *   <li>devices: none beyond the default ones every container gets (null, zero, full, random, urandom, tty, ptmx,
 *       pts);</li>
 *   <li>no OCI hooks and no {@code org.criu.config} annotation: both run host commands as root at restore.</li>
 * </ul>
 */
public final class MigrationBundleRules {
    static final Set<String> DEFAULT_CAPABILITIES = Set.of(
            "CAP_AUDIT_WRITE",
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_FOWNER",
            "CAP_FSETID",
            "CAP_KILL",
            "CAP_MKNOD",
            "CAP_NET_BIND_SERVICE",
            "CAP_NET_RAW",
            "CAP_SETFCAP",
            "CAP_SETGID",
            "CAP_SETPCAP",
            "CAP_SETUID",
            "CAP_SYS_CHROOT");
    private static final Set<String> KERNEL_FILESYSTEMS =
            Set.of("proc", "tmpfs", "devpts", "mqueue", "sysfs", "cgroup");
    private static final Set<String> OWN_NAMESPACES = Set.of("pid", "ipc", "uts", "mount", "network");
    private static final Set<String> CAPABILITY_SETS =
            Set.of("bounding", "effective", "inheritable", "permitted", "ambient");
    /** type major:minor of the devices runc and containerd give every container; -1: any minor. */
    private static final Set<String> DEFAULT_DEVICES =
            Set.of("c 1:3", "c 1:5", "c 1:7", "c 1:8", "c 1:9", "c 5:0", "c 5:1", "c 5:2", "c 136:-1");

    private MigrationBundleRules() {}

    /** Each thing the config asks for beyond what a migrated container may have; empty when it may run here. */
    public static List<String> violations(BundleConfig bundle) {
        return violations(bundle, PodSandbox.NONE);
    }

    /**
     * As {@link #violations(BundleConfig)}, for a container containerd created in a pod sandbox: it may also
     * bind-mount the files containerd writes for that sandbox, and join that sandbox's namespaces.
     */
    public static List<String> violations(BundleConfig bundle, PodSandbox sandbox) {
        JsonNode config = bundle.json();
        List<String> found = new ArrayList<>();
        if (!"rootfs".equals(config.path("root").path("path").asText())) {
            found.add("root.path is '" + config.path("root").path("path").asText() + "', not the bundle's rootfs");
        }
        for (JsonNode mount : config.path("mounts")) {
            String type = mount.path("type").asText();
            boolean bind = type.equals("bind");
            for (JsonNode option : mount.path("options")) {
                bind |= option.asText().equals("bind") || option.asText().equals("rbind");
            }
            if (bind && sandbox.owns(mount.path("source").asText())) {
                continue;
            }
            if (bind || !KERNEL_FILESYSTEMS.contains(type)) {
                found.add("mount of " + mount.path("source").asText() + " (" + type + ") on "
                        + mount.path("destination").asText() + ": only kernel filesystems, no bind mounts");
            }
        }
        checkNamespaces(config.path("linux").path("namespaces"), sandbox, found);
        JsonNode capabilities = config.path("process").path("capabilities");
        capabilities.fieldNames().forEachRemaining(set -> {
            for (JsonNode capability : capabilities.get(set)) {
                if (!CAPABILITY_SETS.contains(set) || !DEFAULT_CAPABILITIES.contains(capability.asText())) {
                    found.add("capability " + capability.asText() + " in process.capabilities." + set
                            + ": beyond the default set");
                }
            }
        });
        for (JsonNode device : config.path("linux").path("devices")) {
            if (!DEFAULT_DEVICES.contains(device(device))) {
                found.add("device " + device.path("path").asText() + " (" + device(device)
                        + "): beyond the default devices");
            }
        }
        for (JsonNode rule : config.path("linux").path("resources").path("devices")) {
            if (rule.path("allow").asBoolean(false) && !DEFAULT_DEVICES.contains(device(rule))) {
                found.add("device access " + rule + " in linux.resources.devices: beyond the default devices");
            }
        }
        if (config.path("hooks").size() > 0) {
            found.add("hooks: they run on the host as root");
        }
        if (config.path("annotations").has("org.criu.config")) {
            found.add("annotation org.criu.config: runc hands that host file to CRIU as its options");
        }
        return found;
    }

    private static void checkNamespaces(JsonNode namespaces, PodSandbox sandbox, List<String> found) {
        Set<String> own = new HashSet<>();
        for (JsonNode ns : namespaces) {
            String type = ns.path("type").asText();
            boolean joined = ns.hasNonNull("path");
            if (joined
                    && sandbox != PodSandbox.NONE
                    && !sandbox.shares(type, ns.path("path").asText())) {
                found.add(type + " namespace joined at " + ns.path("path").asText() + ": not the pod sandbox's");
            } else if (joined && sandbox == PodSandbox.NONE && !type.equals("network")) {
                found.add(type + " namespace joined at " + ns.path("path").asText() + ": only its own");
            }
            own.add(type);
        }
        for (String type : OWN_NAMESPACES) {
            if (!own.contains(type)) {
                found.add("no " + type + " namespace of its own: it would share the host's");
            }
        }
    }

    /** The pseudo-terminals' minors are allocated on use: any one of them is a default device. */
    private static String device(JsonNode device) {
        String type = device.path("type").asText("a");
        long major = device.path("major").asLong(-1);
        long minor = major == 136 ? -1 : device.path("minor").asLong(-1);
        return type + " " + major + ":" + minor;
    }
}
