package io.miaosha.gateway.socket;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The HTTP server's WebSocket options, tuned for many idle sockets that receive a few small frames a
 * minute and send one in their life:
 * <ul>
 * <li>no compression of either kind: every browser offers permessage-deflate, and a socket that takes
 * it keeps a zlib deflater (hundreds of KB of native memory) for a few hundred bytes of messages; with
 * neither kind, a frame with a reserved bit set is a protocol error (1002) instead of being passed on;
 * <li>frames and messages of at most {@code miaosha.socket.max-frame-size} / {@code max-message-size}
 * (1 KB), so Netty never buffers more than that per socket;
 * <li>the one subprotocol the server answers (the queue's clients offer a "bearer." entry too, which
 * is never echoed);
 * <li>no event-bus write handlers per socket (two registrations and two ids each otherwise).
 * </ul>
 */
@ApplicationScoped
public class SocketServerOptions implements HttpServerOptionsCustomizer {

    private final SocketConfig config;

    public SocketServerOptions(SocketConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        options.setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setMaxWebSocketFrameSize(config.maxFrameSize())
                .setMaxWebSocketMessageSize(config.maxMessageSize())
                .setWebSocketSubProtocols(List.of(config.subprotocol()))
                .setRegisterWebSocketWriteHandlers(false);
    }
}
