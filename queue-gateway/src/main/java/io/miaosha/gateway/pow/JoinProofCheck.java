package io.miaosha.gateway.pow;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes the join's proof-of-work and the client's address off the upgrade request, and lets the upgrade
 * through whatever they are: the socket is refused after it opens ({@code QueueSocket}), with an
 * error frame the page can show, which a refused upgrade cannot carry to a browser. Runs before the
 * session check (a higher priority comes first), which drops every header but the handshake's.
 */
@ApplicationScoped
@Priority(100)
public class JoinProofCheck implements HttpUpgradeCheck {

    static final String PARAM = "altcha";

    private final ClientAddress addresses;

    public JoinProofCheck(ClientAddress addresses) {
        this.addresses = addresses;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String solution = request.getParam(PARAM);
        if (solution != null) {
            // Base64 has no space: a '+' a client forgot to percent-encode arrives as one.
            solution = solution.length() > Solutions.MAX_LENGTH ? "" : solution.replace(' ', '+');
        }
        SocketAddress peer = request.remoteAddress();
        String address = addresses.of(peer == null ? null : peer.hostAddress(), request.getHeader("X-Forwarded-For"));
        context.userData().put(JoinProof.KEY, new JoinProof(solution, address));
        return CheckResult.permitUpgrade();
    }
}
