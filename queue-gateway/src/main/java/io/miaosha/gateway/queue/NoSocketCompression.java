package io.miaosha.gateway.queue;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * No WebSocket compression of either kind. Every browser offers permessage-deflate, and a socket
 * that takes it keeps a zlib deflater (hundreds of KB of native memory) for a few hundred bytes of
 * messages a minute; Quarkus turns only that one off by configuration, and Vert.x still accepts the
 * old per-frame extension. With neither, a frame with a reserved bit set is a protocol error (1002)
 * instead of being passed on as text.
 */
@ApplicationScoped
public class NoSocketCompression implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        off(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        off(options);
    }

    private static void off(HttpServerOptions options) {
        options.setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    }
}
