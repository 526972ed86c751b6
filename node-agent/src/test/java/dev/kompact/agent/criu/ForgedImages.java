package dev.kompact.agent.criu;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.kompact.agent.criu.images.Core.core_entry;
import dev.kompact.agent.criu.images.Core.task_kobj_ids_entry;
import dev.kompact.agent.criu.images.Inventory.inventory_entry;
import dev.kompact.agent.criu.images.Mnt.fstype;
import dev.kompact.agent.criu.images.Mnt.mnt_entry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** What a compromised source agent can do to a real checkpoint before sending it: rewrite CRIU's images. */
public final class ForgedImages {
    /** linux/capability.h */
    public static final int CAP_SYS_ADMIN = 21;

    private ForgedImages() {}

    /** Gives the thread {@code tid} {@code capability} in its bounding, permitted and effective sets. */
    public static void raiseCapability(Path images, int tid, int capability) {
        core(images, tid, core -> {
            var creds = core.getThreadCore().getCreds().toBuilder();
            creds.setCapBnd(capability / 32, creds.getCapBnd(capability / 32) | 1 << capability % 32);
            creds.setCapPrm(capability / 32, creds.getCapPrm(capability / 32) | 1 << capability % 32);
            creds.setCapEff(capability / 32, creds.getCapEff(capability / 32) | 1 << capability % 32);
            return core.toBuilder()
                    .setThreadCore(core.getThreadCore().toBuilder().setCreds(creds))
                    .build();
        });
    }

    /** Rewrites the thread's core image. */
    public static void core(Path images, int tid, UnaryOperator<core_entry> change) {
        rewrite(images.resolve("core-" + tid + ".img"), CriuImageFile.CORE, core_entry.parser(), change);
    }

    /** Puts the task into the dumping CRIU's pid namespace: CRIU would restore it into the node's. */
    public static void shareTheDumpersPidNamespace(Path images, int pid) {
        inventory_entry inventory =
                CriuImageFile.INVENTORY.readOne(images.resolve("inventory.img"), inventory_entry.parser());
        rewrite(
                images.resolve("ids-" + pid + ".img"),
                CriuImageFile.IDS,
                task_kobj_ids_entry.parser(),
                ids -> ids.toBuilder()
                        .setPidNsId(inventory.getRootIds().getPidNsId())
                        .build());
    }

    /** Adds a mount of the node's disk under the container's root, as CRIU would mount it at restore. */
    public static void mountTheNodesDisk(Path images, int mountNamespace, String device, String on) {
        Path file = images.resolve("mountpoints-" + mountNamespace + ".img");
        List<mnt_entry> mounts = CriuImageFile.MOUNTPOINTS.read(file, mnt_entry.parser());
        mnt_entry root = mounts.get(mounts.size() - 1);
        mnt_entry disk = mnt_entry
                .newBuilder()
                .setFstype(fstype.AUTO_VALUE)
                .setFsname("ext4")
                .setMntId(4242)
                .setRootDev(root.getRootDev())
                .setParentMntId(root.getMntId())
                .setFlags(0)
                .setRoot("/")
                .setMountpoint(on)
                .setSource(device)
                .setOptions("")
                .build();
        write(
                file,
                CriuImageFile.MOUNTPOINTS,
                java.util.stream.Stream.concat(java.util.stream.Stream.of(disk), mounts.stream())
                        .toList());
    }

    /**
     * Turns the external mounts of {@code paths} into binds of devtmpfs, as the checkpoint of a container restored once
     * records them (runc bound the node's /dev/null there); with {@code external} false, also drops their external
     * key, so that CRIU would mount devtmpfs there itself. Returns how many entries it changed.
     */
    public static int bindDevtmpfsOn(Path images, int mountNamespace, Set<String> paths, boolean external) {
        Path file = images.resolve("mountpoints-" + mountNamespace + ".img");
        int[] changed = {0};
        rewrite(file, CriuImageFile.MOUNTPOINTS, mnt_entry.parser(), mount -> {
            if (!mount.hasExtKey() || !paths.contains(mount.getMountpoint())) {
                return mount;
            }
            changed[0]++;
            mnt_entry.Builder devtmpfs =
                    mount.toBuilder().setFstype(fstype.DEVTMPFS_VALUE).setFsname("devtmpfs");
            return external
                    ? devtmpfs.build()
                    : devtmpfs.clearExtKey().clearExtMount().build();
        });
        return changed[0];
    }

    static <T extends Message> void rewrite(Path file, CriuImageFile kind, Parser<T> parser, UnaryOperator<T> change) {
        write(file, kind, kind.read(file, parser).stream().map(change).toList());
    }

    static void write(Path file, CriuImageFile kind, List<? extends Message> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (kind.commonMagic) {
            header.putInt(CriuImageFile.COMMON_MAGIC);
        }
        header.putInt(kind.magic);
        out.write(header.array(), 0, header.position());
        for (Message entry : entries) {
            byte[] bytes = entry.toByteArray();
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(bytes.length)
                    .array());
            out.writeBytes(bytes);
        }
        try {
            Files.write(file, out.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
