package io.miaosha.gateway.orders;

import io.miaosha.gateway.auth.SessionAuthCheck;
import io.miaosha.gateway.socket.SocketUpgrade;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /ws/me/orders}: the signed-in shopper's order changes (bought, paid, expired), pushed as they
 * happen so an order page need not poll. Authenticated like the waiting room's socket
 * ({@link SessionAuthCheck}: 401 without a valid session, 503 when Redis cannot answer), upgraded to a
 * plain {@link ServerWebSocket}; an adapter to {@link OrderWatchers}. Once the socket is indexed it
 * gets {@code {"type":"subscribed"}}, the moment from which no change of the shopper's is missed, so a
 * page reads its order once then (a change during a reconnect is not lost). A page sends nothing, so
 * any message ends its socket.
 */
@ApplicationScoped
public class OrderSocket {

    static final String SUBSCRIBED = "{\"type\":\"subscribed\"}";

    private final SessionAuthCheck sessions;
    private final OrderWatchers watchers;
    private final int socketsPerUser;

    public OrderSocket(SessionAuthCheck sessions, OrderWatchers watchers, OrdersConfig config) {
        this.sessions = sessions;
        this.watchers = watchers;
        this.socketsPerUser = config.socketsPerUser();
    }

    void routes(@Observes Router router) {
        router.get("/ws/me/orders").handler(this::upgrade);
    }

    private void upgrade(RoutingContext context) {
        HttpServerRequest request = SocketUpgrade.hold(context);
        if (request == null) {
            return;
        }
        sessions.session(request).subscribe().with(session -> {
            if (session == null) {
                SocketUpgrade.refuse(request, 401);
                return;
            }
            SocketUpgrade.accept(request).onSuccess(socket -> opened(socket, session.userId()))
                    .onFailure(failure -> Log.debugf("an orders socket's upgrade failed: %s", failure.toString()));
        }, failure -> SocketUpgrade.refuse(request, 503));
    }

    private void opened(ServerWebSocket socket, long userId) {
        socket.textMessageHandler(text -> OrderRefusal.READ_ONLY.end(socket));
        socket.binaryMessageHandler(data -> OrderRefusal.READ_ONLY.end(socket));
        socket.exceptionHandler(failure -> socket.close());
        if (!watchers.add(userId, socket, socketsPerUser)) {
            OrderRefusal.TOO_MANY_CONNECTIONS.end(socket);
            return;
        }
        socket.closeHandler(closed -> watchers.remove(userId, socket));
        // A close before the handler went on found nothing to take out.
        if (socket.isClosed()) {
            watchers.remove(userId, socket);
            return;
        }
        socket.writeTextMessage(SUBSCRIBED);
    }
}
