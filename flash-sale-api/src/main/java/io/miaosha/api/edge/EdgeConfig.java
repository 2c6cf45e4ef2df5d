package io.miaosha.api.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Who stands between the client and the API, and how far to believe what they say about it. */
@ConfigMapping(prefix = "miaosha.edge")
public interface EdgeConfig {

    /**
     * Peers (CIDR blocks) whose X-Forwarded-For is believed: the local nginx by default; in AWS the
     * load balancer's subnets (MIAOSHA_EDGE_TRUSTED_PROXIES). From any other peer the header is
     * ignored and the TCP peer is the client.
     */
    @WithDefault("127.0.0.0/8,::1/128")
    List<String> trustedProxies();

    /**
     * How many trusted proxies append to X-Forwarded-For: the client is that many entries from the
     * right. 1 behind nginx (which replaces the header with the address it saw); 2 behind CloudFront
     * and the load balancer (CloudFront appends the viewer, the load balancer appends CloudFront).
     * Entries further left were written by the client and are never believed.
     */
    @WithDefault("1")
    int forwardedHops();
}
