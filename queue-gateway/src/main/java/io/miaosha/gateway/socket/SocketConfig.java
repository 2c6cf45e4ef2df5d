package io.miaosha.gateway.socket;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The WebSocket layer of both sockets (queue and live feed), served on plain Vert.x {@code ServerWebSocket}s. */
@ConfigMapping(prefix = "miaosha.socket")
public interface SocketConfig {

    /** The subprotocol the server answers; the queue's clients offer it beside their "bearer." entry. */
    @WithDefault("miaosha.v1")
    String subprotocol();

    /**
     * How often every open socket is pinged, all by one timer: idle sockets behind proxies and NATs are
     * dropped silently otherwise, and a ping to a dead peer ends its socket.
     */
    @WithDefault("30s")
    Duration pingEvery();

    /** Largest message a client may send (a page sends {@code {"type":"leave"}}); over it the socket is closed with 1009. */
    @WithDefault("1024")
    int maxMessageSize();

    /** Largest frame a client may send; over it the socket is closed with 1009 before Netty buffers more. */
    @WithDefault("1024")
    int maxFrameSize();
}
