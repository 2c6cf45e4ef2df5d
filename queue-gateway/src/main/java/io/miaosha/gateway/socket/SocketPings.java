package io.miaosha.gateway.socket;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Pings every open socket every {@code miaosha.socket.ping-every}, from one periodic timer for the
 * whole instance. A ping timer per socket (what a WebSocket framework's auto-ping keeps) costs a
 * timer, a task and a handler on every one of 19,000 idle sockets; one walk costs nothing between
 * walks. The write of each ping runs on its socket's own event loop (Vert.x hands it over).
 */
@ApplicationScoped
public class SocketPings {

    private final List<OpenSockets> features;
    private final Vertx vertx;
    private final long everyMs;
    private long timer = -1;

    public SocketPings(@All List<OpenSockets> features, Vertx vertx, SocketConfig config) {
        this.features = features;
        this.vertx = vertx;
        this.everyMs = config.pingEvery().toMillis();
    }

    void start(@Observes StartupEvent startup) {
        if (everyMs > 0) {
            timer = vertx.setPeriodic(everyMs, id -> pingAll());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    void pingAll() {
        for (OpenSockets feature : features) {
            feature.forEachSocket(SocketPings::ping);
        }
    }

    private static void ping(ServerWebSocket socket) {
        if (!socket.isClosed()) {
            socket.writePing(Buffer.buffer());
        }
    }
}
