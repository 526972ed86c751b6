package dev.kompact.agent;

import dev.kompact.agent.tls.TlsFiles;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The agent's flags, as {@code kompact agent} and {@link AgentMain} take them; picocli names every missing one. */
public final class AgentOptions {

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "this node's name")
    String node;

    @Option(
            names = "--port",
            required = true,
            paramLabel = "N",
            description = "gRPC port; 0 picks one, printed as \"listening on PORT\"")
    int port;

    @Option(
            names = "--listen",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "address to bind, for gRPC and post-copy page relays (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(
            names = "--state-dir",
            required = true,
            paramLabel = "DIR",
            description = "migrations in progress and restored bundles")
    Path stateDir;

    @Option(
            names = "--runc-root",
            required = true,
            paramLabel = "DIR",
            description = "runc's --root for this node's containers")
    Path runcRoot;

    @Option(names = "--pod-bridge", required = true, paramLabel = "NAME", description = "bridge that pod veths join")
    String podBridge;

    @Option(
            names = "--name-prefix",
            paramLabel = "P",
            defaultValue = AgentConfig.DEFAULT_NAME_PREFIX,
            description = "pod namespaces are /run/netns/P-NODE-CONTAINER, cgroups /P/NODE/CONTAINER, so that agents"
                    + " sharing a host never touch each other's (default: ${DEFAULT-VALUE})")
    String namePrefix;

    @Option(
            names = "--tls-cert",
            required = true,
            paramLabel = "FILE",
            description = "this agent's certificate chain (PEM)")
    Path tlsCert;

    @Option(names = "--tls-key", required = true, paramLabel = "FILE", description = "its PKCS#8 private key (PEM)")
    Path tlsKey;

    @Option(
            names = "--tls-ca",
            required = true,
            paramLabel = "FILE",
            description = "the CA that signs every agent's and the controller's certificate (PEM)")
    Path tlsCa;

    @Option(
            names = "--max-image-bytes",
            paramLabel = "N",
            description = "largest checkpoint image accepted from another agent (default: 8 GiB)")
    long maxImageBytes = AgentConfig.DEFAULT_MAX_IMAGE_BYTES;

    @Option(
            names = "--max-image-entries",
            paramLabel = "N",
            description = "most files, directories and links in one migration's image (default: 1000000)")
    long maxImageEntries = AgentConfig.DEFAULT_MAX_IMAGE_ENTRIES;

    @Option(
            names = "--transfer-bytes-per-second",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "cap on outgoing image streams and post-copy pages; 0 is unlimited (default: ${DEFAULT-VALUE})")
    long transferBytesPerSecond;

    @Option(
            names = "--libcriu",
            paramLabel = "PATH",
            description = "libcriu shared library (default: /usr/local/lib/libcriu.so.2)")
    Path libcriu = AgentConfig.DEFAULT_LIBCRIU;

    @Option(names = "--criu", paramLabel = "PATH", description = "criu binary (default: /usr/local/sbin/criu)")
    Path criu = AgentConfig.DEFAULT_CRIU;

    @Option(
            names = "--pod-network",
            paramLabel = "NETWORK",
            defaultValue = "bridge",
            converter = PodNetworkConverter.class,
            description = "as the controller's --pod-network: bridge (a bridge CNI), or vpc-cni (the AWS VPC CNI: a pod"
                    + " address moved here is routed by the no_manage ENI the controller put it on)"
                    + " (default: ${DEFAULT-VALUE})")
    AgentConfig.PodNetworkType podNetwork = AgentConfig.PodNetworkType.BRIDGE;

    /** bridge, vpc-cni: the controller's spelling. */
    static final class PodNetworkConverter implements ITypeConverter<AgentConfig.PodNetworkType> {
        @Override
        public AgentConfig.PodNetworkType convert(String value) {
            return switch (value) {
                case "bridge" -> AgentConfig.PodNetworkType.BRIDGE;
                case "vpc-cni" -> AgentConfig.PodNetworkType.VPC_CNI;
                default ->
                    throw new TypeConversionException("--pod-network must be bridge or vpc-cni, got '" + value + "'");
            };
        }
    }

    public AgentConfig config() {
        return new AgentConfig(
                node,
                listen,
                port,
                stateDir,
                runcRoot,
                podBridge,
                namePrefix,
                new TlsFiles(tlsCert, tlsKey, tlsCa),
                maxImageBytes,
                maxImageEntries,
                transferBytesPerSecond,
                libcriu,
                criu,
                podNetwork);
    }
}
