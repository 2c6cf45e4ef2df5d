package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.gateway.admission.AdmissionSigner;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a socket does in the waiting room: join (or rejoin) on open, leave on request, keep the
 * ticket for the grace period on close. All state is in Redis; this instance only remembers its own
 * sockets (see {@link Rooms}).
 */
@ApplicationScoped
public class WaitingRoom {

    private final QueueScripts scripts;
    private final Rooms rooms;
    private final Lottery lottery;
    private final AdmissionSigner signer;
    private final PositionPusher pusher;
    private final ReactiveRedisDataSource redis;
    private final long graceMs;
    /** Sales this instance has announced in the queued-sales set (one SADD per sale per instance). */
    private final Set<Long> announced = ConcurrentHashMap.newKeySet();

    public WaitingRoom(QueueScripts scripts, Rooms rooms, Lottery lottery, AdmissionSigner signer, PositionPusher pusher,
            ReactiveRedisDataSource redis, QueueConfig config) {
        this.scripts = scripts;
        this.rooms = rooms;
        this.lottery = lottery;
        this.signer = signer;
        this.pusher = pusher;
        this.redis = redis;
        this.graceMs = config.grace().toMillis();
    }

    public Uni<Void> open(WebSocketConnection connection, long saleId, long userId) {
        Room room = rooms.room(saleId);
        Shopper shopper = new Shopper(saleId, userId, connection);
        connection.userData().put(Shopper.KEY, shopper);
        long now = System.currentTimeMillis();
        return announce(saleId)
                .chain(() -> scripts.join(saleId, userId, now, lottery.draw(saleId, userId)))
                .chain(joined -> room.status != null ? Uni.createFrom().item(joined)
                        : scripts.status(saleId).invoke(status -> {
                            room.status = status;
                            // The joining socket is told the state now; the pusher announces only changes.
                            room.announcedState = status == null ? null : status.saleState(now);
                        }).replaceWith(joined))
                .chain(joined -> onJoined(room, shopper, joined, now));
    }

    private Uni<Void> onJoined(Room room, Shopper shopper, QueueScripts.Joined joined, long now) {
        QueueStatus status = room.status;
        switch (joined.code()) {
            case QueueScripts.Joined.WAITING -> {
                shopper.ahead = joined.first();
                shopper.servedAtRead = joined.second();
                shopper.reordersAtRead = joined.third();
                shopper.readAgainAtMs = now + pusher.rankRefreshMs(shopper.userId);
                Uni<Void> meanwhile = counted(room, shopper);
                if (meanwhile != null) {
                    return meanwhile;
                }
                shopper.send(saleMessage(status, now));
                pusher.pushPosition(room, shopper, now);
            }
            case QueueScripts.Joined.INSIDE -> {
                shopper.inside = true;
                Uni<Void> meanwhile = counted(room, shopper);
                if (meanwhile != null) {
                    return meanwhile;
                }
                shopper.send(saleMessage(status, now));
                shopper.send(admitted(room.saleId, shopper.userId, joined.first()));
            }
            case QueueScripts.Joined.ENDED -> finishWithState(shopper, status, now, "ended");
            case QueueScripts.Joined.CANCELLED -> finishWithState(shopper, status, now, "cancelled");
            case QueueScripts.Joined.SOLD_OUT -> finishWithState(shopper, status, now, "sold_out");
            default -> shopper.finish(new Messages.Error("sale-not-available",
                    "This sale has no waiting room yet: it is unknown or not armed. Try again shortly before it opens."));
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * The join is counted: the socket joins the room (before anything can remove it again), then
     * does what it asked for while the join was in Redis. Null when it stays.
     */
    private Uni<Void> counted(Room room, Shopper shopper) {
        room.add(shopper);
        return switch (shopper.joined()) {
            case LEAVE -> leaveCounted(shopper);
            case DISCONNECT -> {
                forget(shopper);
                yield disconnect(shopper);
            }
            case STAY -> null;
        };
    }

    private void finishWithState(Shopper shopper, QueueStatus status, long now, String reason) {
        if (status != null) {
            shopper.send(saleMessage(status, now));
        }
        shopper.finish(new Messages.Closed(reason));
    }

    /** Explicit leave: the place (or the slot inside) frees at once. */
    public Uni<Void> leave(WebSocketConnection connection) {
        Shopper shopper = connection.userData().get(Shopper.KEY);
        if (shopper == null || shopper.done || !shopper.leaveNow()) {
            return Uni.createFrom().voidItem();
        }
        return leaveCounted(shopper);
    }

    private Uni<Void> leaveCounted(Shopper shopper) {
        shopper.done = true;
        return scripts.leave(shopper.saleId, shopper.userId)
                .invoke(() -> forget(shopper))
                .invoke(() -> shopper.finish(new Messages.Closed("left")))
                .replaceWithVoid();
    }

    /** The socket closed: unless the shopper left, its ticket is kept for the grace period. */
    public Uni<Void> closed(WebSocketConnection connection) {
        Shopper shopper = connection.userData().get(Shopper.KEY);
        if (shopper == null) {
            return Uni.createFrom().voidItem();
        }
        forget(shopper);
        // A shopper who asked to leave never starts a grace period (disconnectNow answers false).
        if (!shopper.disconnectNow()) {
            return Uni.createFrom().voidItem();
        }
        return disconnect(shopper);
    }

    private Uni<Void> disconnect(Shopper shopper) {
        return scripts.disconnect(shopper.saleId, shopper.userId, System.currentTimeMillis() + graceMs)
                .onFailure().invoke(failure -> Log.warnf("could not start the grace period of a shopper of sale %d: %s",
                        shopper.saleId, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private void forget(Shopper shopper) {
        Room room = rooms.find(shopper.saleId);
        if (room != null) {
            room.remove(shopper);
        }
    }

    private Uni<Void> announce(long saleId) {
        if (announced.contains(saleId)) {
            return Uni.createFrom().voidItem();
        }
        return redis.set(Long.class).sadd(QueueKeys.QUEUED_SALES, saleId).invoke(() -> announced.add(saleId)).replaceWithVoid();
    }

    Messages.Admitted admitted(long saleId, long userId, long windowEndMs) {
        return new Messages.Admitted(signer.sign(userId, saleId, windowEndMs), Instant.ofEpochMilli(windowEndMs).toString());
    }

    static Messages.Sale saleMessage(QueueStatus status, long now) {
        if (status == null) {
            return new Messages.Sale("upcoming", 0, null, null);
        }
        return new Messages.Sale(status.saleState(now), status.unitsLeft(),
                Instant.ofEpochMilli(status.opensAtMs()).toString(), Instant.ofEpochMilli(status.closesAtMs()).toString());
    }
}
