package io.miaosha.gateway.orders;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The shopper's orders socket, {@code /ws/me/orders} ({@link OrderSocket}). */
@ConfigMapping(prefix = "miaosha.orders")
public interface OrdersConfig {

    /**
     * Open orders sockets per account on this instance: one per tab showing an order (a few), and a
     * ceiling so one session cannot pile up sockets here; the edge limits sockets per address too.
     */
    @WithDefault("8")
    int socketsPerUser();
}
