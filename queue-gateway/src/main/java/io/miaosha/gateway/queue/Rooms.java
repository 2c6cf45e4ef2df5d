package io.miaosha.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The rooms (sales) this instance has sockets for. */
@ApplicationScoped
public class Rooms {

    private final ConcurrentHashMap<Long, Room> rooms = new ConcurrentHashMap<>();

    Room room(long saleId) {
        return rooms.computeIfAbsent(saleId, Room::new);
    }

    Room find(long saleId) {
        return rooms.get(saleId);
    }

    Collection<Room> all() {
        return rooms.values();
    }

    /** Open sockets on this instance (for metrics and the benchmark). */
    public long connections() {
        long[] count = {0};
        rooms.values().forEach(room -> room.forEach(s -> count[0]++));
        return count[0];
    }
}
