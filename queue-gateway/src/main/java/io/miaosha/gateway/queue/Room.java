package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueStatus;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** This instance's sockets for one sale, by user, and the sale's shared state as last read. */
final class Room {

    final long saleId;
    private final ConcurrentHashMap<Long, Shopper> byUser = new ConcurrentHashMap<>();
    volatile QueueStatus status;
    /** The sale state last announced to this room's shoppers. */
    volatile String announcedState;

    Room(long saleId) {
        this.saleId = saleId;
    }

    void add(Shopper shopper) {
        byUser.compute(shopper.userId, (user, head) -> {
            shopper.next = head;
            return shopper;
        });
    }

    void remove(Shopper shopper) {
        byUser.computeIfPresent(shopper.userId, (user, head) -> {
            Shopper kept = null;
            for (Shopper s = head; s != null; s = s.next) {
                if (s != shopper) {
                    kept = copyOnto(s, kept);
                }
            }
            return kept;
        });
    }

    /** Every socket of this user on this instance. */
    void forUser(long userId, Consumer<Shopper> action) {
        for (Shopper s = byUser.get(userId); s != null; s = s.next) {
            action.accept(s);
        }
    }

    void forEach(Consumer<Shopper> action) {
        byUser.values().forEach(head -> {
            for (Shopper s = head; s != null; s = s.next) {
                action.accept(s);
            }
        });
    }

    boolean isEmpty() {
        return byUser.isEmpty();
    }

    int size() {
        return byUser.size();
    }

    private static Shopper copyOnto(Shopper s, Shopper rest) {
        s.next = rest;
        return s;
    }
}
