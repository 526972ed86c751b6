package dev.kompact.agent.testing;

import dev.kompact.agent.net.Eni;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.runtime.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An EKS node B on the AWS VPC CNI, in network namespaces of this test run: B's host namespace with its primary
 * interface and a second one playing a no_manage ENI (down and unconfigured, as ipamd leaves it), both veths into a
 * "VPC" namespace that plays the subnet's gateway and a client; and a pod T set up as aws-vpc-cni does (host end
 * eniXXXX, eth0 with a /32, default via 169.254.1.1 with a static neighbour), the moved address already on its eth0.
 * The VPC delivers the moved address to the ENI's MAC, as EC2 does once it is reassigned, and drops packets that come
 * in from a source it routes elsewhere, as EC2's source/destination check does.
 */
public final class VpcNode implements AutoCloseable {
    public static final String SUBNET = "10.214.0.0/24";
    public static final String GATEWAY = "10.214.0.1";
    public static final String MOVED = "10.214.0.50";
    /** T's own address, which the CNI gave its sandbox. */
    public static final String OWN = "10.214.0.77";

    public static final String ENI_MAC = "0a:00:00:00:00:06";
    public static final String ENI = "ens6";
    public static final String PRIMARY = "ens5";
    public static final String POD_VETH = "eni1a2b3c4d5e6";
    public static final int PORT = 8080;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public final String node = TestRun.PREFIX + "-vb";
    public final String vpc = TestRun.PREFIX + "-vv";
    public final String pod = TestRun.PREFIX + "-vt";
    private final List<Process> servers = new ArrayList<>();

    public VpcNode() {
        for (String ns : List.of(node, vpc, pod)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        // node B: forwards, strict reverse-path filtering as EKS AMIs have it; ENI down until the agent acts
        inNode("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=1");
        run("ip", "-n", node, "link", "add", PRIMARY, "type", "veth", "peer", "name", "vp", "netns", vpc);
        run(
                "ip", "-n", node, "link", "add", ENI, "address", ENI_MAC, "type", "veth", "peer", "name", "ve", "netns",
                vpc);
        run("ip", "-n", node, "addr", "add", "10.214.0.10/24", "dev", PRIMARY);
        run("ip", "-n", node, "link", "set", PRIMARY, "up");
        run("ip", "-n", node, "route", "add", "default", "via", GATEWAY);
        // the VPC: the gateway on both, the moved address delivered to the ENI; strict source checks on the
        // primary, loose on the ENI (B's ARP for the gateway there comes from the primary's address)
        run("ip", "-n", vpc, "addr", "add", GATEWAY + "/24", "dev", "vp");
        run("ip", "-n", vpc, "addr", "add", GATEWAY + "/32", "dev", "ve");
        run("ip", "-n", vpc, "link", "set", "vp", "up");
        run("ip", "-n", vpc, "link", "set", "ve", "up");
        run("ip", "netns", "exec", vpc, "sysctl", "-q", "-w", "net.ipv4.conf.vp.rp_filter=1");
        run("ip", "netns", "exec", vpc, "sysctl", "-q", "-w", "net.ipv4.conf.ve.rp_filter=2");
        run("ip", "-n", vpc, "route", "add", MOVED + "/32", "dev", "ve");
        run("ip", "-n", vpc, "neigh", "replace", MOVED, "lladdr", ENI_MAC, "dev", "ve", "nud", "permanent");
        // pod T as aws-vpc-cni plumbs it
        run("ip", "-n", node, "link", "add", POD_VETH, "type", "veth", "peer", "name", "eth0", "netns", pod);
        run("ip", "-n", node, "link", "set", POD_VETH, "up");
        run("ip", "-n", pod, "link", "set", "eth0", "up");
        run("ip", "-n", pod, "addr", "add", OWN + "/32", "dev", "eth0");
        run("ip", "-n", pod, "route", "add", "169.254.1.1", "dev", "eth0", "scope", "link");
        run("ip", "-n", pod, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
        String hostMac = run("ip", "netns", "exec", node, "cat", "/sys/class/net/" + POD_VETH + "/address")
                .trim();
        run("ip", "-n", pod, "neigh", "add", "169.254.1.1", "lladdr", hostMac, "dev", "eth0", "nud", "permanent");
        run("ip", "-n", node, "route", "add", OWN, "dev", POD_VETH, "scope", "link");
        // as B's agent does before the restore
        new SandboxNetwork(nodeNamespace()).addAddress(podNamespace(), new PodNetwork.Address("eth0", MOVED + "/24"));
    }

    public Path nodeNamespace() {
        return Path.of("/run/netns/" + node);
    }

    public Path podNamespace() {
        return Path.of("/run/netns/" + pod);
    }

    public Eni eni() {
        return new Eni(ENI_MAC, SUBNET);
    }

    /** An echo server in T on the moved address, answering each line upper-cased. */
    public void serveInPod() {
        String server = "import socket\n"
                + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('" + MOVED + "', " + PORT + ")); s.listen(8)\n"
                + "while True:\n"
                + "  c,_=s.accept(); c.sendall(c.makefile().readline().upper().encode()); c.close()\n";
        try {
            servers.add(new ProcessBuilder("nsenter", "--net=" + podNamespace(), "--", "python3", "-c", server)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From the VPC's client to the moved address: what came back, or the client's error. */
    public Commands.Result askPod(String line) {
        String client = "import socket\n"
                + "c=socket.create_connection(('" + MOVED + "', " + PORT + "), timeout=1)\n"
                + "c.sendall(b'" + line + "\\n'); print(c.makefile().readline().strip())\n";
        return Commands.run(TIMEOUT, "nsenter", "--net=/run/netns/" + vpc, "--", "python3", "-c", client);
    }

    /** {@link #askPod} until the pod answers (a route just added may take a moment), within a second. */
    public String askUntilAnswered(String line) {
        for (int i = 0; i < 10; i++) {
            Commands.Result result = askPod(line);
            if (result.exitCode() == 0) {
                return result.output().trim();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the pod never answered: " + askPod(line).output());
    }

    public long transmittedPackets(String interfaceName) {
        return Long.parseLong(
                run("ip", "netns", "exec", node, "cat", "/sys/class/net/" + interfaceName + "/statistics/tx_packets")
                        .trim());
    }

    public String inNode(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", node));
        all.addAll(List.of(command));
        return run(all.toArray(String[]::new));
    }

    @Override
    public void close() {
        servers.forEach(Process::destroyForcibly);
        for (String ns : List.of(pod, vpc, node)) {
            Commands.run(TIMEOUT, "ip", "netns", "del", ns);
        }
    }

    private static String run(String... command) {
        return Commands.check(TIMEOUT, command);
    }
}
