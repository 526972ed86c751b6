package dev.kompact.executor.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;

public final class IntOrStrings {

    private IntOrStrings() {}

    /** "2" or "50%" as Kubernetes wrote it; null stays null. */
    public static String text(IntOrString value) {
        if (value == null) {
            return null;
        }
        return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }
}
