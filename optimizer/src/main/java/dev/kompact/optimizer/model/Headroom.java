package dev.kompact.optimizer.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The share of allocatable CPU and memory a plan keeps free of requests, for surges and rescheduled pods: on every
 * node ({@link Scope#NODE}), or over the cluster's nodes together ({@link Scope#CLUSTER}: room for a surge anywhere,
 * while single nodes may fill up). {@code hard}: a plan may not use it; otherwise using it costs the share of the
 * price it takes, of the node's or of the cluster's.
 */
public record Headroom(double cpu, double memory, boolean hard, Scope scope) {

    /** Where the share is kept free; named in the OptimizationPolicy as {@code Node} and {@code Cluster}. */
    public enum Scope {
        @JsonProperty("Node")
        NODE,
        @JsonProperty("Cluster")
        CLUSTER
    }

    public static final Headroom NONE = new Headroom(0, 0, false, Scope.NODE);

    public Headroom {
        if (!(cpu >= 0 && cpu < 1) || !(memory >= 0 && memory < 1)) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "headroom must be a share from 0 to under 100%% of a node, got cpu %s and memory %s",
                    cpu,
                    memory));
        }
    }

    public boolean none() {
        return cpu == 0 && memory == 0;
    }

    /** The share kept free of {@code resource}: CPU's, memory's, and none of any other resource. */
    public double share(String resource) {
        return switch (resource) {
            case ResourceNames.CPU -> cpu;
            case ResourceNames.MEMORY -> memory;
            default -> 0;
        };
    }

    public boolean clusterWide() {
        return scope == Scope.CLUSTER;
    }

    /**
     * "10%" (CPU and memory, soft, on every node), "10%,hard", "cpu=10%,memory=20%", "cpu=10%,memory=20%,hard", and
     * any of them with ",cluster" to keep the share free over the cluster's nodes together.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Headroom parse(String text) {
        double cpu = -1;
        double memory = -1;
        boolean hard = false;
        Scope scope = Scope.NODE;
        for (String part : text.split(",")) {
            String item = part.strip();
            if (item.equals("hard")) {
                hard = true;
            } else if (item.equals("soft")) {
                hard = false;
            } else if (item.equals("cluster")) {
                scope = Scope.CLUSTER;
            } else if (item.equals("node")) {
                scope = Scope.NODE;
            } else if (item.startsWith("cpu=")) {
                cpu = share(item.substring(4), text);
            } else if (item.startsWith("memory=")) {
                memory = share(item.substring(7), text);
            } else {
                cpu = memory = share(item, text);
            }
        }
        if (cpu < 0 && memory < 0) {
            throw new IllegalArgumentException(
                    "headroom \"" + text + "\" gives no share, e.g. 10% or cpu=10%,memory=20%");
        }
        return new Headroom(Math.max(cpu, 0), Math.max(memory, 0), hard, scope);
    }

    private static double share(String text, String whole) {
        if (!text.matches("\\d{1,2}(\\.\\d+)?%")) {
            throw new IllegalArgumentException(
                    "headroom \"" + whole + "\": \"" + text + "\" is not a percentage under 100%, e.g. 10%");
        }
        return Double.parseDouble(text.substring(0, text.length() - 1)) / 100;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "cpu %.0f%%, memory %.0f%%, %s%s",
                cpu * 100,
                memory * 100,
                hard ? "hard" : "soft",
                clusterWide() ? ", cluster-wide" : "");
    }
}
