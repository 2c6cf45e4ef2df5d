package io.miaosha.gateway.live;

import io.miaosha.gateway.queue.Messages;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's viewers of one sale and the frame last sent to them. The frame is the sale's
 * {@code sale} message, JSON encoded once per change and written as the same string to every socket.
 */
final class LiveFeed {

    final long saleId;
    private final Set<ServerWebSocket> viewers = ConcurrentHashMap.newKeySet();
    /** One read of the sale's state at a time, however slow Redis is. */
    final AtomicBoolean reading = new AtomicBoolean();
    /** What the last frame says (state, units left, holds, times), to tell a change from a repeat. */
    private Messages.Sale shown;
    private String frame;
    private long encoded;
    /** The sale's seat map as its viewers here were told it (seated sales only; see {@link LiveSeats}). */
    final SeatFeed seats = new SeatFeed();
    /** Whether the sale has seats: null until its first viewer's seat read tells (fixed once armed). */
    volatile Boolean seated;

    LiveFeed(long saleId) {
        this.saleId = saleId;
    }

    void add(ServerWebSocket viewer) {
        viewers.add(viewer);
    }

    void remove(ServerWebSocket viewer) {
        viewers.remove(viewer);
        seats.remove(viewer);
    }

    boolean isEmpty() {
        return viewers.isEmpty();
    }

    int size() {
        return viewers.size();
    }

    Iterable<ServerWebSocket> viewers() {
        return viewers;
    }

    /**
     * Records what the sale shows now and answers its frame, encoded here when it changed and reused
     * when it did not; {@code changed} tells the caller which (only a change is sent to everyone).
     */
    synchronized String show(Messages.Sale now, boolean[] changed) {
        changed[0] = !now.equals(shown);
        if (changed[0]) {
            frame = Json.encode(now);
            shown = now;
            encoded++;
        }
        return frame;
    }

    /** How many frames this feed encoded (one per change, whatever the number of viewers). */
    synchronized long encoded() {
        return encoded;
    }
}
