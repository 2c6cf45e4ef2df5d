package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueStatus;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This instance's sockets for one sale, by user, and the sale's shared state as last read. Sockets
 * whose join is still in Redis are here (they count against the user's limit) but are skipped by the
 * walks until the join is counted.
 *
 * <p>A user's sockets are an array that is never changed once in the map: adding or removing one
 * puts a new array in (under the map's per-user lock), so a walk, which takes no lock, sees the
 * sockets of one moment, each once, whatever enters or leaves meanwhile.
 */
final class Room {

    final long saleId;
    private final ConcurrentHashMap<Long, Shopper[]> byUser = new ConcurrentHashMap<>();
    private volatile QueueStatus status;
    /** The sale state and units left last announced to this room's shoppers. */
    private volatile String announced;

    Room(long saleId) {
        this.saleId = saleId;
    }

    /** Adds the socket unless its user has {@code maxPerUser} here already (joining ones included); newest first. */
    boolean tryAdd(Shopper shopper, int maxPerUser) {
        boolean[] added = {false};
        byUser.compute(shopper.userId, (user, sockets) -> {
            int count = sockets == null ? 0 : sockets.length;
            if (count >= maxPerUser) {
                return sockets;
            }
            Shopper[] more = new Shopper[count + 1];
            more[0] = shopper;
            if (sockets != null) {
                System.arraycopy(sockets, 0, more, 1, count);
            }
            added[0] = true;
            return more;
        });
        return added[0];
    }

    /** Takes the socket out of its user's sockets (a no-op for one that never entered). */
    void remove(Shopper shopper) {
        byUser.computeIfPresent(shopper.userId, (user, sockets) -> {
            Shopper[] rest = Arrays.stream(sockets).filter(s -> s != shopper).toArray(Shopper[]::new);
            return rest.length == 0 ? null : rest;
        });
    }

    /** Every joined socket of this user on this instance. */
    void forUser(long userId, Consumer<Shopper> action) {
        Shopper[] sockets = byUser.get(userId);
        if (sockets != null) {
            forCounted(sockets, action);
        }
    }

    /** Every socket of this room, joined or with its join on its way (for the ping walk). */
    void forEachSocket(Consumer<Shopper> action) {
        byUser.values().forEach(sockets -> {
            for (Shopper s : sockets) {
                action.accept(s);
            }
        });
    }

    /** Every joined socket of this room. */
    void forEach(Consumer<Shopper> action) {
        byUser.values().forEach(sockets -> forCounted(sockets, action));
    }

    private static void forCounted(Shopper[] sockets, Consumer<Shopper> action) {
        for (Shopper s : sockets) {
            if (s.isCounted()) {
                action.accept(s);
            }
        }
    }

    /**
     * Whether a socket of this user is here (so that an admission is worth a token), joined or with
     * its join still on its way: an admission can be published between the join script and the
     * socket counting as joined.
     */
    boolean hasSocket(long userId) {
        Shopper[] sockets = byUser.get(userId);
        if (sockets != null) {
            for (Shopper s : sockets) {
                // A closing socket is no reason to hold the slot for the whole window.
                if (!s.isDone()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The user was admitted: each of its sockets here gets the message with its token. */
    void admit(long userId, Messages.Admitted message) {
        Shopper[] sockets = byUser.get(userId);
        if (sockets == null) {
            return;
        }
        for (Shopper shopper : sockets) {
            // A socket whose join is not counted yet keeps the admission for when it is (WaitingRoom.tellJoined).
            if (!shopper.offerEarlyAdmission(message)) {
                shopper.admitted(message);
            }
        }
    }

    /** The user's shopping window ended. */
    void windowOver(long userId) {
        forUser(userId, Shopper::windowOver);
    }

    /**
     * The user's ticket reached the front but the user already holds or bought the most a shopper may:
     * it was taken off the queue, and each of its sockets is told why and closed.
     */
    void limitReached(long userId) {
        forUser(userId, shopper -> shopper.refuse(Refusal.LIMIT_REACHED_WHILE_WAITING));
    }

    /** A message for every joined socket of the user (an order changed). */
    void tell(long userId, Object message) {
        forUser(userId, shopper -> shopper.send(message));
    }

    QueueStatus status() {
        return status;
    }

    /**
     * A fresh read of the sale's shared state (null: not armed). Answers the sale state when it or the
     * units left differ from what was last announced, so that the caller announces both (live stock on
     * every page, at most once per read); null when there is nothing new.
     */
    String read(QueueStatus status, long nowMs) {
        this.status = status;
        if (status == null) {
            return null;
        }
        String state = status.saleState(nowMs);
        String now = announcement(status, state);
        if (now.equals(announced)) {
            return null;
        }
        announced = now;
        return state;
    }

    /** A read on a join: the joining socket is told the state itself, so the state counts as announced. */
    void readOnJoin(QueueStatus status, long nowMs) {
        this.status = status;
        announced = status == null ? null : announcement(status, status.saleState(nowMs));
    }

    private static String announcement(QueueStatus status, String state) {
        return state + '|' + status.unitsLeft();
    }

    boolean isEmpty() {
        return byUser.isEmpty();
    }

    int size() {
        return byUser.size();
    }
}
