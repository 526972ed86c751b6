package dev.kompact.executor.certificates;

import java.util.Set;

/** What an agent asks for and the controller grants on the {@code certificates.k8s.io/v1} API. */
public final class AgentCertificates {
    /** The signer the controller approves and signs for; the agents' CSRs name it. */
    public static final String SIGNER = "kompact.dev/agent";
    /** Exactly the usages an agent's certificate needs: it serves other agents and calls them. */
    public static final Set<String> USAGES = Set.of("digital signature", "server auth", "client auth");

    public static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
    public static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";
    public static final String POD_UID_EXTRA = "authentication.kubernetes.io/pod-uid";

    private AgentCertificates() {}

    /** The name an agent's CSR gets: one per node and key, so a re-enrolment never meets the old request. */
    static String csrName(String node, String keyFingerprint) {
        return "kompact-agent-" + node + "-" + keyFingerprint;
    }
}
