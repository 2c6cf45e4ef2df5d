package io.miaosha.gateway.queue;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Frame-level protocol errors (an unmasked client frame, a reserved opcode or bit, a fragmented
 * control frame, a frame over the size limit) are found by Netty's decoder, and Vert.x then drops
 * the TCP connection without a close frame, while Quarkus, told later, logs two errors with stack
 * traces per socket. This puts one shared handler in front of Vert.x on every upgraded connection:
 * it answers such a frame with a close frame carrying the decoder's code (1002, or 1009 for a frame
 * over {@code max-frame-size}), closes the connection, logs one line, and keeps the failure from
 * Vert.x, so the socket's close runs the usual way (its ticket keeps its grace period).
 * It uses Vert.x's connection internals (the Netty pipeline), so {@code ProtocolErrorsTest} pins it.
 */
@ApplicationScoped
public class ProtocolViolationGuard implements HttpUpgradeCheck {

    static final String NAME = "miaosha-protocol-violations";
    private static final Guard GUARD = new Guard();

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (context.httpRequest().connection() instanceof ConnectionBase connection) {
            ChannelHandlerContext vertx = connection.channelHandlerContext();
            ChannelPipeline pipeline = vertx.pipeline();
            if (pipeline.get(NAME) == null) {
                pipeline.addBefore(vertx.name(), NAME, GUARD);
            }
        }
        return CheckResult.permitUpgrade();
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
            String reason = corrupted.closeStatus().code() == 1009 ? Refusal.MESSAGE_TOO_BIG.reason : "protocol-error";
            context.writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus().code(), reason))
                    .addListener(written -> context.close());
        }
    }
}
