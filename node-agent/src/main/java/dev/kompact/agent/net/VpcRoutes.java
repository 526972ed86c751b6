package dev.kompact.agent.net;

import dev.kompact.agent.runtime.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's side of a pod address moved here through EC2 (the AWS VPC CNI): the controller put the address on one
 * of this node's ENIs tagged no_manage, which ipamd leaves alone, so nothing else routes it. Packets to it arrive on
 * that ENI and reach the pod by a host route to its veth; the pod's replies from it must leave through the same ENI
 * (EC2's source/destination check drops them on any other), so a rule sends them to a route table of that ENI's.
 * Every change is idempotent: a retry, or an agent restarted halfway, repeats it without failing.
 */
public final class VpcRoutes {
    /** Before the main table (32766), after ipamd's own rules for pods (512, 1536). */
    private static final int RULE_PRIORITY = 1600;
    /** Above the tables ipamd numbers after its ENIs (device number + 1). */
    private static final int TABLE_BASE = 20000;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern LINK = Pattern.compile("^(\\d+):\\s+([^:@\\s]+)[@:].*link/ether\\s+(\\S+)");

    private final List<String> node;

    /** In this process's network namespace: the node's. */
    public VpcRoutes() {
        this.node = List.of();
    }

    /** In {@code nodeNamespace}: a node emulated in a namespace of its own. */
    public VpcRoutes(Path nodeNamespace) {
        this.node = List.of("nsenter", "--net=" + nodeNamespace, "--");
    }

    /** The ENI's interface on this node, and the route table this agent gives it. */
    public record EniLink(String interfaceName, int table, Eni eni) {}

    /** The node's interface that has the ENI's MAC address; refused when there is none. */
    public EniLink link(Eni eni) {
        for (String line : ip("-o", "link", "show").lines().toList()) {
            Matcher m = LINK.matcher(line);
            if (m.find() && m.group(3).equalsIgnoreCase(eni.mac())) {
                return new EniLink(m.group(2), TABLE_BASE + Integer.parseInt(m.group(1)), eni);
            }
        }
        throw new IllegalArgumentException("no interface on this node has the MAC address " + eni.mac()
                + " of the ENI the address was moved to (is that ENI attached to this instance?)");
    }

    /** Whether the link {@code name} is still the one of ifindex {@code index} (a new pod may reuse the name). */
    public boolean exists(String name, int index) {
        Commands.Result result = Commands.run(TIMEOUT, command("ip", "-o", "link", "show", "dev", name));
        return result.exitCode() == 0 && result.output().startsWith(index + ": ");
    }

    /** The ifindex of {@code interfaceName} in the node's namespace. */
    public int indexOf(String interfaceName) {
        String out = ip("-o", "link", "show", "dev", interfaceName);
        return Integer.parseInt(out.substring(0, out.indexOf(':')));
    }

    /**
     * Replies from {@code ip} leave through the ENI: its link up with loose reverse-path filtering (packets to pods
     * arrive on it while the node's routes to their senders point elsewhere), its table (the subnet, and the default
     * via the subnet's gateway), and the rule into it.
     */
    public void routeFrom(String ip, EniLink link) {
        String dev = link.interfaceName();
        String table = Integer.toString(link.table());
        ip("link", "set", "dev", dev, "up");
        Commands.check(TIMEOUT, command("sysctl", "-q", "-w", "net.ipv4.conf." + dev + ".rp_filter=2"));
        ip("route", "replace", link.eni().subnetCidr(), "dev", dev, "scope", "link", "table", table);
        ip("route", "replace", "default", "via", link.eni().gateway(), "dev", dev, "table", table);
        removeRules(ip, link.table());
        ip("rule", "add", "from", ip + "/32", "lookup", table, "priority", Integer.toString(RULE_PRIORITY));
    }

    /** Packets to {@code ip} go to the pod's veth; its link must be up (a route via a down link is refused). */
    public void routeTo(String ip, String hostVeth) {
        ip("route", "replace", ip + "/32", "dev", hostVeth);
    }

    /**
     * Undoes {@link #routeFrom} and {@link #routeTo}; what is gone already is skipped. The ENI's table stays while
     * another moved address's rule uses it; its link stays up (it is the ENI's normal state).
     */
    public void remove(String ip, int eniTable, String hostVeth) {
        Commands.run(TIMEOUT, command("ip", "route", "del", ip + "/32", "dev", hostVeth));
        removeRules(ip, eniTable);
        String table = Integer.toString(eniTable);
        if (ip("rule", "show", "lookup", table).isBlank()) {
            Commands.run(TIMEOUT, command("ip", "route", "flush", "table", table));
        }
    }

    private void removeRules(String ip, int eniTable) {
        String table = Integer.toString(eniTable);
        while (!ip("rule", "show", "from", ip + "/32", "lookup", table).isBlank()) {
            ip("rule", "del", "from", ip + "/32", "lookup", table);
        }
    }

    private String ip(String... args) {
        List<String> all = new ArrayList<>(List.of("ip"));
        all.addAll(List.of(args));
        return Commands.check(TIMEOUT, command(all.toArray(String[]::new)));
    }

    private String[] command(String... args) {
        List<String> all = new ArrayList<>(node);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
