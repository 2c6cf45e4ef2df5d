package io.miaosha.api.edge;

import io.miaosha.common.edge.ForwardedClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;

/** The client's address for the log-in throttle, by the edge's rules ({@link ForwardedClient}, miaosha.edge.*). */
@ApplicationScoped
public class ClientAddress {

    private final ForwardedClient client;

    public ClientAddress(EdgeConfig config) {
        this.client = new ForwardedClient(config.trustedProxies(), config.forwardedHops());
    }

    /** The client's address (an IPv6 one cut to its /64), or "unknown" when there is none. */
    public String of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        return of(peer == null ? null : peer.hostAddress(), request.getHeader("X-Forwarded-For"));
    }

    /** The same from the TCP peer's address and the X-Forwarded-For header as received. */
    String of(String peerHost, String forwardedFor) {
        return client.of(peerHost, forwardedFor);
    }
}
