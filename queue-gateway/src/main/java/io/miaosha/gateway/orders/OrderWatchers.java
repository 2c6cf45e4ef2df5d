package io.miaosha.gateway.orders;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.gateway.queue.Messages;
import io.miaosha.gateway.socket.OpenSockets;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The open orders sockets of this instance, indexed by user: an order change heard on the gateway's one
 * subscription to {@link OrderUpdate#CHANNEL} (in {@code QueueEvents}) is encoded once and written to
 * every tab of its shopper here, and to nobody else; a user with no socket here costs nothing. A user's
 * sockets are a small array replaced on each open and close (a few tabs, rarely changed, read on every
 * update), changed in the map's per-user lock so the per-user limit counts every socket.
 */
@ApplicationScoped
public class OrderWatchers implements OpenSockets {

    private static final ServerWebSocket[] NONE = new ServerWebSocket[0];

    private final ConcurrentHashMap<Long, ServerWebSocket[]> byUser = new ConcurrentHashMap<>();

    /** Adds the socket to its user's; false (and nothing kept) when the user has {@code maxPerUser} already. */
    boolean add(long userId, ServerWebSocket socket, int maxPerUser) {
        boolean[] added = {false};
        byUser.compute(userId, (id, sockets) -> {
            ServerWebSocket[] known = sockets != null ? sockets : NONE;
            if (known.length >= maxPerUser) {
                return sockets;
            }
            added[0] = true;
            ServerWebSocket[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = socket;
            return more;
        });
        return added[0];
    }

    /** Takes a closed socket out; the user's entry goes with its last socket. */
    void remove(long userId, ServerWebSocket socket) {
        byUser.computeIfPresent(userId, (id, sockets) -> {
            ServerWebSocket[] left = Arrays.stream(sockets).filter(s -> s != socket).toArray(ServerWebSocket[]::new);
            return left.length == 0 ? null : left;
        });
    }

    /** Tells every open tab of the order's shopper on this instance its new status. */
    public void tell(OrderUpdate update) {
        ServerWebSocket[] sockets = byUser.get(update.userId());
        if (sockets == null) {
            return;
        }
        String frame = Json.encode(new Messages.Order(update.orderId(), update.status().name()));
        for (ServerWebSocket socket : sockets) {
            if (!socket.isClosed()) {
                socket.writeTextMessage(frame);
            }
        }
    }

    /** Open orders sockets of this user here (tests, metrics). */
    public int socketsOf(long userId) {
        ServerWebSocket[] sockets = byUser.get(userId);
        return sockets == null ? 0 : sockets.length;
    }

    @Override
    public void forEachSocket(Consumer<ServerWebSocket> action) {
        byUser.values().forEach(sockets -> {
            for (ServerWebSocket socket : sockets) {
                action.accept(socket);
            }
        });
    }
}
