package dev.kompact.optimizer.model;

/**
 * A label value within one namespace, as an index key: label selectors of PDBs, affinity terms and spread
 * constraints pick pods of their own namespace by label, so pods are looked up by this rather than scanned.
 */
public final class NamespacedLabel {

    private NamespacedLabel() {}

    public static String key(String namespace, String label, String value) {
        return namespace + '\u0000' + label + '=' + value;
    }
}
