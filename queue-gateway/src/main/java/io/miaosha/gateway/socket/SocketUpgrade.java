package io.miaosha.gateway.socket;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * The steps every socket route takes around its own checks: only a WebSocket upgrade is served (any
 * other request on a socket path goes on to the router's 404), the request is held while the checks
 * run, and the upgrade itself installs the {@link ProtocolViolationGuard} and then drops what an idle
 * socket never reads again.
 */
public final class SocketUpgrade {

    private SocketUpgrade() {
    }

    /**
     * The upgrade request when the route should serve it, held (paused) so that its end, which the
     * upgrade waits for, is not handled before the checks have run; null when it is not an upgrade
     * (the router was told to go on).
     */
    public static HttpServerRequest hold(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            context.next();
            return null;
        }
        request.pause();
        return request;
    }

    /** Refuses the upgrade with an HTTP status (a browser sees only that the socket failed). */
    public static void refuse(HttpServerRequest request, int status) {
        request.response().setStatusCode(status).end();
    }

    /**
     * Answers the handshake (101). Vert.x keeps the upgrade request and its response for the socket's
     * whole life, but nothing reads their headers again: emptied, they cost a few hundred bytes less
     * per idle socket (and no credential of the handshake stays in the heap).
     */
    public static Future<ServerWebSocket> accept(HttpServerRequest request) {
        ProtocolViolationGuard.install(request);
        return request.toWebSocket().onSuccess(socket -> {
            request.headers().clear();
            request.params().clear();
            request.response().headers().clear();
            dropIdleTimer(request);
        });
    }

    /** The name Vert.x gives the idle-timeout handler in a connection's pipeline. */
    private static final String IDLE_HANDLER = "idle";

    /**
     * The HTTP idle timeout (Quarkus: 30 minutes) is a handler with its own scheduled task on every
     * connection, about 200 bytes of an idle socket's heap. A socket never reaches it anyway, since
     * {@link SocketPings} writes to it far more often, and a dead peer is found by those writes; so the
     * upgraded connection does without it. HTTP connections keep theirs.
     */
    private static void dropIdleTimer(HttpServerRequest request) {
        if (request.connection() instanceof ConnectionBase connection) {
            var pipeline = connection.channelHandlerContext().pipeline();
            if (pipeline.get(IDLE_HANDLER) != null) {
                pipeline.remove(IDLE_HANDLER);
            }
        }
    }
}
