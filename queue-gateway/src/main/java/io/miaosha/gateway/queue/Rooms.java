package io.miaosha.gateway.queue;

import io.miaosha.gateway.socket.OpenSockets;
import io.vertx.core.http.ServerWebSocket;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The rooms (sales) this instance has sockets for, and nothing else: a room exists from its first
 * socket's open to its last socket's close, so a sale nobody watches here costs this instance no
 * memory and no pusher reads, however many sales were ever opened (or made up by a client).
 * Entering and leaving run in the map's per-sale lock, so a room is never dropped while a socket
 * enters it, and the per-user limit counts sockets still joining.
 */
@ApplicationScoped
public class Rooms implements OpenSockets {

    private final ConcurrentHashMap<Long, Room> rooms = new ConcurrentHashMap<>();

    /** The shopper's room, with the shopper in it; null when the user has {@code maxPerUser} sockets there already. */
    Room enter(Shopper shopper, int maxPerUser) {
        Room[] entered = {null};
        rooms.compute(shopper.saleId, (saleId, room) -> {
            Room target = room != null ? room : new Room(saleId);
            if (target.tryAdd(shopper, maxPerUser)) {
                entered[0] = target;
                return target;
            }
            return room;
        });
        return entered[0];
    }

    /** Takes the shopper out of its room; the room goes when it was the last one. */
    void leave(Shopper shopper) {
        rooms.computeIfPresent(shopper.saleId, (saleId, room) -> {
            room.remove(shopper);
            return room.isEmpty() ? null : room;
        });
    }

    Room find(long saleId) {
        return rooms.get(saleId);
    }

    Collection<Room> all() {
        return rooms.values();
    }

    @Override
    public void forEachSocket(Consumer<ServerWebSocket> action) {
        rooms.values().forEach(room -> room.forEachSocket(shopper -> {
            if (shopper.isOpen()) {
                action.accept(shopper.socket());
            }
        }));
    }

    /** Open sockets on this instance (for metrics and the benchmark). */
    public long connections() {
        long[] count = {0};
        rooms.values().forEach(room -> room.forEach(s -> count[0]++));
        return count[0];
    }
}
