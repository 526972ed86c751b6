package dev.kompact.agent.tls;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Reads the caller's {@link PeerIdentity} from its verified TLS certificate, once per call. */
public final class PeerIdentityInterceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Context context = Context.current();
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session != null) {
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                    var identity = PeerIdentity.of(leaf);
                    if (identity.isPresent()) {
                        context = context.withValue(PeerIdentity.CURRENT, identity.get());
                    }
                }
            } catch (SSLPeerUnverifiedException e) {
                // no identity: every call but Health is refused
            }
        }
        return Contexts.interceptCall(context, call, headers, next);
    }
}
