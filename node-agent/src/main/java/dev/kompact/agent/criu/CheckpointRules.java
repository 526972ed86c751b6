package dev.kompact.agent.criu;

import dev.kompact.agent.criu.images.Core.core_entry;
import dev.kompact.agent.criu.images.Core.seccomp_mode;
import dev.kompact.agent.criu.images.Core.task_kobj_ids_entry;
import dev.kompact.agent.criu.images.Core.thread_core_entry;
import dev.kompact.agent.criu.images.Creds.creds_entry;
import dev.kompact.agent.criu.images.Inventory.inventory_entry;
import dev.kompact.agent.criu.images.Mnt.fstype;
import dev.kompact.agent.criu.images.Mnt.mnt_entry;
import dev.kompact.agent.criu.images.Pstree.pstree_entry;
import dev.kompact.agent.runtime.BundleConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * What the CRIU images of a received checkpoint may restore. CRIU, run by runc as root, gives each restored thread
 * the credentials its core image names and creates only the namespaces in which the image says a task differs from
 * the dumping CRIU; the bundle's config.json, already held to {@link dev.kompact.agent.runtime.MigrationBundleRules},
 * does not bound either. So a source agent that forges the images could restore a process with capabilities its
 * container never had, or in this node's own namespaces. The images are held to the bundle they came with:
 *
 * <ul>
 *   <li>inventory.img: the image format CRIU writes today (version 2), with the dumping CRIU's namespace ids;
 *   <li>each task of pstree.img (ids-PID.img): its own pid, network, ipc, uts and mount namespaces, none of them the
 *       dumping CRIU's, which CRIU would restore it into (the node's own);
 *   <li>each mount namespace (mountpoints-ID.img): one tree under the container's root, every other mount of a kernel
 *       filesystem the bundle rules allow (CRIU mounts the image's source as root: a forged entry could be the node's
 *       disk);
 *   <li>each thread (core-TID.img): its credentials present (without them CRIU leaves the thread its own, full root
 *       ones); every capability set within the config's set of the same name; no_new_privs kept when the config
 *       sets noNewPrivileges; seccomp filtering kept when the config has a seccomp profile, and no task-wide
 *       seccomp mode of the format CRIU no longer writes (it overrides the thread's on restore).
 * </ul>
 *
 * <p>Not bounded here: user and group ids (a setuid binary of the container's own rootfs changes them legitimately;
 * what they can do is bounded by the capability sets), the seccomp filter's program and the LSM profile (neither can be
 * compared with the config's text).
 */
public final class CheckpointRules {
    /** CRTOOLS_IMAGES_V1_1: every file but the inventory opens with the common magic. */
    private static final int IMAGE_VERSION = 2;
    /** COMPEL_TASK_DEAD, a task_core_entry's task_state. */
    private static final int TASK_DEAD = 2;

    private record CapabilitySet(String image, String config, ToIntFunction<creds_entry> count, WordAt word) {}

    @FunctionalInterface
    private interface WordAt {
        int get(creds_entry creds, int index);
    }

    private static final List<CapabilitySet> CAPABILITY_SETS = List.of(
            new CapabilitySet("cap_bnd", "bounding", creds_entry::getCapBndCount, creds_entry::getCapBnd),
            new CapabilitySet("cap_eff", "effective", creds_entry::getCapEffCount, creds_entry::getCapEff),
            new CapabilitySet("cap_prm", "permitted", creds_entry::getCapPrmCount, creds_entry::getCapPrm),
            new CapabilitySet("cap_inh", "inheritable", creds_entry::getCapInhCount, creds_entry::getCapInh),
            new CapabilitySet("cap_amb", "ambient", creds_entry::getCapAmbCount, creds_entry::getCapAmb));

    /** mnt.proto's fstype numbers of the filesystems the bundle rules allow: proc, sysfs, tmpfs, devpts, cgroup, mqueue, cgroup2. */
    private static final Set<Integer> KERNEL_FILESYSTEMS = Set.of(
            fstype.PROC_VALUE,
            fstype.SYSFS_VALUE,
            fstype.TMPFS_VALUE,
            fstype.DEVPTS_VALUE,
            fstype.CGROUP_VALUE,
            fstype.MQUEUE_VALUE,
            fstype.CGROUP2_VALUE);

    private CheckpointRules() {}

    /**
     * Each thing the images would restore beyond what {@code bundle} grants; empty when they may be restored.
     *
     * @throws IllegalArgumentException when an image file is missing or corrupt, naming it
     */
    public static List<String> violations(Path images, BundleConfig bundle) {
        inventory_entry inventory =
                CriuImageFile.INVENTORY.readOne(images.resolve("inventory.img"), inventory_entry.parser());
        if (inventory.getImgVersion() != IMAGE_VERSION || !inventory.hasRootIds()) {
            throw new IllegalArgumentException("checkpoint file inventory.img: image version "
                    + inventory.getImgVersion() + (inventory.hasRootIds() ? "" : " without root_ids") + ", expected "
                    + IMAGE_VERSION + " with root_ids (CRIU 3.x and later)");
        }
        List<pstree_entry> tasks = CriuImageFile.PSTREE.read(images.resolve("pstree.img"), pstree_entry.parser());
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("checkpoint file pstree.img: no task");
        }
        List<String> found = new ArrayList<>();
        Set<Integer> mountNamespaces = new TreeSet<>();
        for (pstree_entry task : tasks) {
            if (!zombie(images, task)) {
                List<Integer> threads = task.getThreadsCount() == 0 ? List.of(task.getPid()) : task.getThreadsList();
                for (int thread : threads) {
                    String core = "core-" + thread + ".img";
                    checkThread(
                            core, CriuImageFile.CORE.readOne(images.resolve(core), core_entry.parser()), bundle, found);
                }
                String file = "ids-" + task.getPid() + ".img";
                task_kobj_ids_entry ids = CriuImageFile.IDS.readOne(images.resolve(file), task_kobj_ids_entry.parser());
                checkNamespaces(file, ids, inventory.getRootIds(), found);
                mountNamespaces.add(ids.getMntNsId());
            }
        }
        for (int namespace : mountNamespaces) {
            String file = "mountpoints-" + namespace + ".img";
            checkMounts(
                    file,
                    CriuImageFile.MOUNTPOINTS.read(images.resolve(file), mnt_entry.parser()),
                    externalDestinations(bundle),
                    found);
        }
        return found;
    }

    /** CRIU forks a zombie only to exit at once with its exit code: it runs nothing under its credentials. */
    private static boolean zombie(Path images, pstree_entry task) {
        int leader = task.getThreadsCount() == 0 ? task.getPid() : task.getThreads(0);
        core_entry core = CriuImageFile.CORE.readOne(images.resolve("core-" + leader + ".img"), core_entry.parser());
        return core.hasTc() && core.getTc().getTaskState() == TASK_DEAD;
    }

    private static void checkNamespaces(
            String file, task_kobj_ids_entry task, task_kobj_ids_entry dumper, List<String> found) {
        record Namespace(String field, boolean has, int id, int dumpers) {}
        for (Namespace ns : List.of(
                new Namespace("pid_ns_id", task.hasPidNsId(), task.getPidNsId(), dumper.getPidNsId()),
                new Namespace("net_ns_id", task.hasNetNsId(), task.getNetNsId(), dumper.getNetNsId()),
                new Namespace("ipc_ns_id", task.hasIpcNsId(), task.getIpcNsId(), dumper.getIpcNsId()),
                new Namespace("uts_ns_id", task.hasUtsNsId(), task.getUtsNsId(), dumper.getUtsNsId()),
                new Namespace("mnt_ns_id", task.hasMntNsId(), task.getMntNsId(), dumper.getMntNsId()))) {
            if (!ns.has() || ns.id() == ns.dumpers()) {
                found.add(file + " " + ns.field()
                        + (ns.has() ? " is the dumping CRIU's own (" + ns.id() + ")" : " missing")
                        + ": the task would be restored into this node's namespace");
            }
        }
    }

    /**
     * CRIU mounts each entry but the tree's root (the rootfs runc hands it) as the image says, source included, as root:
     * a forged entry could mount the node's disk into the container. Bind mounts of the node's files come only through
     * external mounts, which runc maps from the target's config.json: an external mount is allowed where that
     * config binds something, its source already held to the bundle rules (a containerd pod's /etc/hosts, say, from
     * its own sandbox's directory), or where it masks a path, since runc then mounts the config's source, or the
     * node's /dev/null over a masked file, not the image's source. That is how a container restored once holds its
     * masked files: binds of the node's /dev/null, on devtmpfs, which its next checkpoint records as such.
     */
    private static void checkMounts(
            String file, List<mnt_entry> mounts, Set<String> externalDestinations, List<String> found) {
        Set<Integer> ids = new HashSet<>();
        mounts.forEach(m -> ids.add(m.getMntId()));
        List<mnt_entry> roots =
                mounts.stream().filter(m -> !ids.contains(m.getParentMntId())).toList();
        if (roots.size() != 1 || !roots.get(0).getMountpoint().equals("/")) {
            found.add(file + ": " + roots.size() + " mount tree roots, expected the container's root alone");
        }
        for (mnt_entry mount : mounts) {
            if (roots.contains(mount)) {
                continue;
            }
            if ((mount.getExtMount() || mount.hasExtKey()) && externalDestinations.contains(mount.getMountpoint())) {
                continue;
            }
            boolean kernel = KERNEL_FILESYSTEMS.contains(mount.getFstype());
            if (!kernel || mount.getWithPlugin()) {
                found.add(file + " mount of " + mount.getSource() + " ("
                        + (mount.getFsname().isEmpty() ? "fstype " + mount.getFstype() : mount.getFsname()) + ") on "
                        + mount.getMountpoint() + ": only kernel filesystems"
                        + (mount.getWithPlugin() ? ", restored by no plugin" : ""));
            }
        }
    }

    private static Set<String> externalDestinations(BundleConfig bundle) {
        Set<String> destinations = new HashSet<>(bundle.maskedPaths());
        for (String bind : bundle.hostBindMounts()) {
            destinations.add(bind.substring(bind.lastIndexOf(" on ") + 4));
        }
        return destinations;
    }

    private static void checkThread(String file, core_entry core, BundleConfig bundle, List<String> found) {
        if (core.hasTc() && core.getTc().hasOldSeccompMode()) {
            found.add(file + " tc.old_seccomp_mode: a task-wide seccomp mode CRIU no longer writes, which would"
                    + " override the thread's");
        }
        thread_core_entry thread = core.getThreadCore();
        if (!core.hasThreadCore() || !thread.hasCreds()) {
            found.add(file + " thread_core.creds missing: the thread would keep the restoring CRIU's root credentials");
            return;
        }
        creds_entry creds = thread.getCreds();
        for (CapabilitySet set : CAPABILITY_SETS) {
            List<Integer> words = new ArrayList<>();
            for (int i = 0; i < set.count().applyAsInt(creds); i++) {
                words.add(set.word().get(creds, i));
            }
            Set<String> granted = bundle.capabilities(set.config());
            for (String capability : LinuxCapabilities.names(words)) {
                if (!granted.contains(capability)) {
                    found.add(file + " thread_core.creds." + set.image() + " has " + capability
                            + ", beyond process.capabilities." + set.config() + " of config.json");
                }
            }
        }
        if (bundle.noNewPrivileges() && creds.getNoNewPrivs() == 0) {
            found.add(file + " thread_core.creds.no_new_privs is 0, but config.json sets process.noNewPrivileges");
        }
        if (bundle.hasSeccomp() && thread.getSeccompMode() != seccomp_mode.filter) {
            found.add(file + " thread_core.seccomp_mode is " + thread.getSeccompMode()
                    + ", but config.json has a linux.seccomp profile");
        }
    }
}
