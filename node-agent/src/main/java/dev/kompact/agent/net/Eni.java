package dev.kompact.agent.net;

import java.util.regex.Pattern;

/**
 * The ENI of a target node that a moved pod address was assigned to, as the controller names it to the agents: its MAC
 * address and its subnet's IPv4 CIDR. Checked here, where it enters the agent (both end up in ip commands) and where
 * the controller reads it from EC2, so both hold it to the same rules.
 */
public record Eni(String mac, String subnetCidr) {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    public Eni {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException(
                    "the ENI's MAC address must be six lower-case hex pairs like 0a:1b:2c:3d:4e:5f, got '" + mac + "'");
        }
        long network = network(subnetCidr);
        if ((network & ~mask(prefix(subnetCidr))) != 0) {
            throw new IllegalArgumentException("the ENI's subnet " + subnetCidr + " has host bits set: not a network");
        }
    }

    /** A VPC subnet's router: its network address + 1. */
    public String gateway() {
        return dotted(network(subnetCidr) + 1);
    }

    /** Whether {@code ip} is in this subnet: a moved VPC address never leaves its own. */
    public boolean contains(String ip) {
        long mask = mask(prefix(subnetCidr));
        return (value(ip, "the address") & mask) == network(subnetCidr);
    }

    private static long network(String cidr) {
        var m = CIDR.matcher(cidr);
        int prefix = m.matches() ? Integer.parseInt(m.group(5)) : -1;
        // EC2 subnets are /16 to /28
        if (prefix < 16 || prefix > 28) {
            throw new IllegalArgumentException(
                    "the ENI's subnet must be an IPv4 CIDR from /16 to /28 like 10.0.32.0/19, got '" + cidr + "'");
        }
        return value(cidr.substring(0, cidr.indexOf('/')), "the ENI's subnet");
    }

    private static int prefix(String cidr) {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    private static long mask(int prefix) {
        return (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    /** @param what named in the error */
    static long value(String ip, String what) {
        String[] parts = ip.split("\\.", -1);
        long value = 0;
        for (String part : parts) {
            int octet = part.matches("\\d{1,3}") ? Integer.parseInt(part) : 256;
            if (parts.length != 4 || octet > 255) {
                throw new IllegalArgumentException(what + " must be a dotted IPv4 address, got '" + ip + "'");
            }
            value = value << 8 | octet;
        }
        return value;
    }

    private static String dotted(long value) {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
}
