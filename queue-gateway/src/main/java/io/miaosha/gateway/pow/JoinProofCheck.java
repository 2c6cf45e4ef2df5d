package io.miaosha.gateway.pow;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes the join's proof-of-work and the client's address off the upgrade request, whatever they are:
 * the socket is refused after it opens ({@code QueueSocket}), with an error frame the page can show,
 * which a refused upgrade cannot carry to a browser. Runs before the session check, which drops every
 * header but the handshake's.
 */
@ApplicationScoped
public class JoinProofCheck {

    static final String PARAM = "altcha";

    private final ClientAddress addresses;

    public JoinProofCheck(ClientAddress addresses) {
        this.addresses = addresses;
    }

    public JoinProof proofOf(HttpServerRequest request) {
        String solution = request.getParam(PARAM);
        if (solution != null) {
            // Base64 has no space: a '+' a client forgot to percent-encode arrives as one.
            solution = solution.length() > Solutions.MAX_LENGTH ? "" : solution.replace(' ', '+');
        }
        SocketAddress peer = request.remoteAddress();
        String address = addresses.of(peer == null ? null : peer.hostAddress(), request.getHeader("X-Forwarded-For"));
        return new JoinProof(solution, address);
    }
}
