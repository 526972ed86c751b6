package dev.kompact.agent.migration;

import io.grpc.Status;
import java.util.regex.Pattern;

/**
 * Every identifier a request carries, checked before anything acts on it: ids become file and namespace names
 * (a '/', '..' or absolute path would leave the state directory), the others reach ip(8), CRIU and sockets.
 */
public final class Identifiers {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** Linux interface names: IFNAMSIZ is 16 with the terminating NUL. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9])?");
    /** A Kubernetes object name (DNS subdomain); container names, DNS labels, are within it. */
    private static final Pattern KUBE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private static final Pattern IPV4_CIDR =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern HOST_PORT =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):(\\d{1,5})");

    private Identifiers() {}

    public static String migrationId(String value) {
        return check(
                "migration id",
                value,
                ID,
                "1-64 characters of letters, digits, '_', '.', '-', starting with a" + " letter or digit");
    }

    public static String containerId(String value) {
        return check(
                "container id",
                value,
                ID,
                "1-64 characters of letters, digits, '_', '.', '-', starting with a" + " letter or digit");
    }

    public static String interfaceName(String value) {
        return check("interface name", value, INTERFACE, "1-15 characters of letters, digits, '_', '.', '-'");
    }

    public static String nodeName(String what, String value) {
        return check(what, value, NODE, "a node name: 1-253 letters, digits, '_', '.', '-'");
    }

    /** A namespace, pod or container name: it names directories of a pod migration's image. */
    public static String podName(String what, String value) {
        return check(
                what,
                value,
                KUBE_NAME,
                "a Kubernetes name: 1-253 of a-z, 0-9, '-', '.', starting and ending" + " with a letter or digit");
    }

    /** An IPv4 address with its prefix length, e.g. 10.213.0.10/24. */
    public static String addressCidr(String value) {
        var m = IPV4_CIDR.matcher(value);
        boolean valid = m.matches() && Integer.parseInt(m.group(5)) <= 32;
        for (int i = 1; valid && i <= 4; i++) {
            valid = Integer.parseInt(m.group(i)) <= 255;
        }
        if (!valid) {
            throw invalid("address '" + value + "' must be an IPv4 address with a prefix length, e.g. 10.213.0.10/24");
        }
        return value;
    }

    /** host:port of another agent: a DNS name or IPv4 address, and a port. */
    public static String hostPort(String what, String value) {
        var m = HOST_PORT.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535) {
            throw invalid(what + " '" + value + "' must be host:port");
        }
        return value;
    }

    private static String check(String what, String value, Pattern pattern, String rule) {
        if (!pattern.matcher(value).matches()) {
            throw invalid(what + " '" + value + "' must be " + rule);
        }
        return value;
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
