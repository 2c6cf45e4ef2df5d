package io.miaosha.gateway.pow;

import io.miaosha.common.edge.ForwardedClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The client's address for the per-address join limit, by the same rules as flash-sale-api's log-in
 * throttle ({@link ForwardedClient}, miaosha.edge.*).
 */
@ApplicationScoped
public class ClientAddress {

    private final ForwardedClient client;

    public ClientAddress(EdgeConfig config) {
        this.client = new ForwardedClient(config.trustedProxies(), config.forwardedHops());
    }

    /** The client's address key from the TCP peer and the X-Forwarded-For header as received; "unknown" without a peer. */
    public String of(String peerHost, String forwardedFor) {
        return client.of(peerHost, forwardedFor);
    }
}
