package io.miaosha.gateway.pow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Who stands between the browser and the gateway, and how far to believe what they say about it: the
 * same settings (and environment variables) as flash-sale-api's {@code miaosha.edge.*}.
 */
@ConfigMapping(prefix = "miaosha.edge")
public interface EdgeConfig {

    /** Peers (CIDR blocks) whose X-Forwarded-For is believed; from any other the TCP peer is the client. */
    @WithDefault("127.0.0.0/8,::1/128")
    List<String> trustedProxies();

    /** How many trusted proxies append to X-Forwarded-For: the client is that many entries from the right. */
    @WithDefault("1")
    int forwardedHops();
}
