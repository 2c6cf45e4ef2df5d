package io.miaosha.gateway.socket;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Frame-level protocol errors (an unmasked client frame, a reserved opcode or bit, a fragmented
 * control frame, a frame over the size limit) are found by Netty's decoder, and Vert.x then drops
 * the TCP connection without a close frame and logs the failure with a stack trace. This puts one
 * shared handler in front of Vert.x on every connection about to be upgraded: it answers such a
 * frame with a close frame carrying the decoder's code (1002, or 1009 for a frame over
 * {@code max-frame-size}), closes the connection, logs one line, and keeps the failure from Vert.x,
 * so the socket's close runs the usual way (a queue ticket keeps its grace period).
 * It uses Vert.x's connection internals (the Netty pipeline), so {@code ProtocolErrorsTest} pins it.
 */
public final class ProtocolViolationGuard {

    static final String NAME = "miaosha-protocol-violations";
    /** The close reason of a frame over the size limit: the waiting room's refusal slug for it. */
    static final String TOO_BIG = "message-too-big";
    private static final Guard GUARD = new Guard();

    private ProtocolViolationGuard() {
    }

    /** Installs the guard on the request's connection, before the upgrade. */
    public static void install(HttpServerRequest upgrade) {
        if (upgrade.connection() instanceof ConnectionBase connection) {
            ChannelHandlerContext vertx = connection.channelHandlerContext();
            ChannelPipeline pipeline = vertx.pipeline();
            if (pipeline.get(NAME) == null) {
                pipeline.addBefore(vertx.name(), NAME, GUARD);
            }
        }
    }

    @ChannelHandler.Sharable
    static final class Guard extends ChannelInboundHandlerAdapter {

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (!(cause instanceof CorruptedWebSocketFrameException corrupted)) {
                context.fireExceptionCaught(cause);
                return;
            }
            // The decoder discards everything after its first violation, so this runs once per connection.
            // The close starts here, not at the channel: Vert.x, behind this handler, would wait for the
            // client's close frame, which the decoder no longer reads.
            Log.infof("closing a socket on a protocol error (%d): %s", corrupted.closeStatus().code(), corrupted.getMessage());
            String reason = corrupted.closeStatus().code() == 1009 ? TOO_BIG : "protocol-error";
            context.writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus().code(), reason))
                    .addListener(written -> context.close());
        }
    }
}
