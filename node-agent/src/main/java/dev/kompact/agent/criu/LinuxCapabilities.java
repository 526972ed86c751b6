package dev.kompact.agent.criu;

import java.util.ArrayList;
import java.util.List;

/** Capability numbers as the kernel and CRIU's images carry them (linux/capability.h), and their OCI names. */
final class LinuxCapabilities {
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER",
            "CAP_FSETID",
            "CAP_KILL",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST",
            "CAP_NET_ADMIN",
            "CAP_NET_RAW",
            "CAP_IPC_LOCK",
            "CAP_IPC_OWNER",
            "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO",
            "CAP_SYS_CHROOT",
            "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT",
            "CAP_SYS_NICE",
            "CAP_SYS_RESOURCE",
            "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG",
            "CAP_MKNOD",
            "CAP_LEASE",
            "CAP_AUDIT_WRITE",
            "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE",
            "CAP_MAC_ADMIN",
            "CAP_SYSLOG",
            "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ",
            "CAP_PERFMON",
            "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private LinuxCapabilities() {}

    /** The capabilities set in CRIU's bit words (word 0: capabilities 0-31, word 1: 32-63, ...). */
    static List<String> names(List<Integer> words) {
        List<String> names = new ArrayList<>();
        for (int word = 0; word < words.size(); word++) {
            for (int bit = 0; bit < 32; bit++) {
                if ((words.get(word) & (1 << bit)) != 0) {
                    names.add(name(word * 32 + bit));
                }
            }
        }
        return names;
    }

    /** A number this kernel list does not know yet is no capability any OCI config can grant: named by number. */
    static String name(int number) {
        return number < NAMES.size() ? NAMES.get(number) : "capability " + number;
    }
}
