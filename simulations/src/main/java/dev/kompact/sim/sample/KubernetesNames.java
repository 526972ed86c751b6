package dev.kompact.sim.sample;

import java.util.Random;

/** Generated names as Kubernetes' controllers make them, from the alphabet it uses to avoid vowels and look-alikes. */
final class KubernetesNames {

    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private KubernetesNames() {}

    /**
     * A pod-template-hash: Kubernetes maps each character of the decimal text of a 32-bit hash onto the alphabet,
     * which is why real hashes only use ten of its characters ("7d4b9c8f5").
     */
    static String templateHash(Random random) {
        String digits = Long.toString(random.nextInt() & 0xffffffffL);
        StringBuilder hash = new StringBuilder();
        for (char digit : digits.toCharArray()) {
            hash.append(ALPHANUMS.charAt(digit % ALPHANUMS.length()));
        }
        return hash.toString();
    }

    /** The random five characters a ReplicaSet or DaemonSet appends to its pods' names. */
    static String podSuffix(Random random) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(ALPHANUMS.charAt(random.nextInt(ALPHANUMS.length())));
        }
        return suffix.toString();
    }
}
