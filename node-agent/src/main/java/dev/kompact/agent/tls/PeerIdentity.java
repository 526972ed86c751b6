package dev.kompact.agent.tls;

import io.grpc.Context;
import io.grpc.Status;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling, as the peer's certificate says in a URI subject alternative name: {@value #CONTROLLER} for the
 * controller, {@value #NODE_PREFIX}NAME for the agent of node NAME. Never taken from a request field: any holder of a
 * cluster certificate can write those.
 */
public record PeerIdentity(boolean controller, String nodeName) {
    public static final String CONTROLLER = "spiffe://kompact/controller";
    public static final String NODE_PREFIX = "spiffe://kompact/node/";
    /** Set by {@link PeerIdentityInterceptor} for every call; absent when the certificate names no Kompact identity. */
    static final Context.Key<PeerIdentity> CURRENT = Context.key("kompact-peer-identity");

    private static final int URI_SAN = 6;

    public static PeerIdentity controllerIdentity() {
        return new PeerIdentity(true, "");
    }

    public static PeerIdentity agentOf(String nodeName) {
        return new PeerIdentity(false, nodeName);
    }

    /** The caller of the current call, or PERMISSION_DENIED when its certificate names no Kompact identity. */
    public static PeerIdentity current() {
        PeerIdentity identity = CURRENT.get();
        if (identity == null) {
            throw Status.PERMISSION_DENIED
                    .withDescription("the client certificate names neither " + CONTROLLER + " nor " + NODE_PREFIX
                            + "<node> in a URI subject alternative name")
                    .asRuntimeException();
        }
        return identity;
    }

    /** The one Kompact identity the certificate names; none when it names none or several. */
    public static Optional<PeerIdentity> of(X509Certificate certificate) {
        List<PeerIdentity> found = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            for (List<?> name : names == null ? List.<List<?>>of() : names) {
                if (((Integer) name.get(0)) != URI_SAN) {
                    continue;
                }
                String uri = (String) name.get(1);
                if (uri.equals(CONTROLLER)) {
                    found.add(controllerIdentity());
                } else if (uri.startsWith(NODE_PREFIX) && uri.length() > NODE_PREFIX.length()) {
                    found.add(agentOf(uri.substring(NODE_PREFIX.length())));
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        // a certificate naming two identities is a mis-issued one: it gets neither
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    public void requireController(String call) {
        if (!controller) {
            throw denied(call + " is the controller's call; the agent of node " + nodeName + " may not make it");
        }
    }

    /** @return the calling agent's node */
    public String requireAgent(String call) {
        if (controller) {
            throw denied(call + " is made by the source node's agent, not by the controller");
        }
        return nodeName;
    }

    public static RuntimeException denied(String message) {
        return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
    }

    @Override
    public String toString() {
        return controller ? "the controller" : "the agent of node " + nodeName;
    }
}
