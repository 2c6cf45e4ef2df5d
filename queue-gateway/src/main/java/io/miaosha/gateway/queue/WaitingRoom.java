package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueDisconnectScript;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueJoinScript.Result.Inside;
import io.miaosha.common.queue.QueueJoinScript.Result.LimitReached;
import io.miaosha.common.queue.QueueJoinScript.Result.Refused;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.queue.QueueLeaveScript;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.common.queue.QueueStatusScript;
import io.miaosha.gateway.admission.AdmissionSigner;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a socket does in the waiting room: join (or rejoin) on open, leave on request, keep the
 * ticket for the grace period on close. All state is in Redis; this instance only remembers its own
 * sockets (see {@link Rooms}), each socket's place in its {@link Shopper}.
 */
@ApplicationScoped
public class WaitingRoom {

    private final QueueJoinScript joinScript;
    private final QueueLeaveScript leaveScript;
    private final QueueDisconnectScript disconnectScript;
    private final QueueStatusScript statusScript;
    private final Rooms rooms;
    private final Lottery lottery;
    private final AdmissionSigner signer;
    private final PositionPusher pusher;
    private final ReactiveRedisDataSource redis;
    private final long graceMs;
    private final int socketsPerUser;

    public WaitingRoom(Rooms rooms, Lottery lottery, AdmissionSigner signer, PositionPusher pusher,
            ReactiveRedisDataSource redis, QueueConfig config) {
        this.joinScript = new QueueJoinScript(redis);
        this.leaveScript = new QueueLeaveScript(redis);
        this.disconnectScript = new QueueDisconnectScript(redis);
        this.statusScript = new QueueStatusScript(redis);
        this.rooms = rooms;
        this.lottery = lottery;
        this.signer = signer;
        this.pusher = pusher;
        this.redis = redis;
        this.graceMs = config.grace().toMillis();
        this.socketsPerUser = config.socketsPerUser();
    }

    /**
     * Joins (or rejoins) the shopper. A socket over the user's limit, of a shopper who already holds or
     * bought the most the sale allows, or for a sale that is unknown,
     * not armed, without a waiting room, over or sold out, is refused without writing anything: the
     * join script answers those before its first write, and the room (entered first, so that sockets
     * of one user opening at once are counted) is left again, and dropped when it was new.
     */
    Uni<Void> open(Shopper shopper) {
        // A leave asked while the proof-of-work was checked is recorded in the shopper already: the
        // join runs it once counted, as it does a close that came meanwhile.
        shopper.startJoin();
        long saleId = shopper.saleId;
        long userId = shopper.userId;
        Room room = rooms.enter(shopper, socketsPerUser);
        if (room == null) {
            Log.debugf("refused a socket of user %d on sale %d: %d open already", userId, saleId, socketsPerUser);
            shopper.refuse(Refusal.TOO_MANY_CONNECTIONS, socketsPerUser);
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        return joinScript.run(saleId, userId, now, lottery.ticketId(saleId, userId), shopper.emailVerified)
                .onFailure().invoke(failure -> {
                    Log.warnf("could not join a shopper to sale %d: %s", saleId, failure.getMessage());
                    rooms.leave(shopper);
                    shopper.refuse(Refusal.UNAVAILABLE);
                })
                .chain(joined -> switch (joined) {
                    case Refused refused -> refused(shopper, room, refused, now);
                    case LimitReached limit -> {
                        rooms.leave(shopper);
                        yield refuse(shopper, Refusal.LIMIT_REACHED, limit.units(), limit.limit());
                    }
                    case QueueJoinScript.Result.TooEarly early -> {
                        rooms.leave(shopper);
                        yield refuse(shopper, Refusal.ENTRIES_NOT_OPEN,
                                java.time.Instant.ofEpochMilli(early.entriesOpenAtMs()).toString());
                    }
                    default -> entered(shopper, room, joined, now);
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The join counted the socket in Redis: from here on its close must be counted too. */
    private Uni<Void> entered(Shopper shopper, Room room, QueueJoinScript.Result joined, long now) {
        // The queued-sales repair comes after the socket is told its place: an admission published
        // before the socket counts as joined would not reach it, so nothing may widen that gap.
        return (room.status() != null ? Uni.createFrom().voidItem() : readStatus(room, now))
                .chain(() -> tellJoined(shopper, room, joined, now))
                .call(() -> recordQueuedSale(room))
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("could not tell a shopper of sale %d its place: %s", room.saleId, failure.getMessage());
                    Uni<Void> meanwhile = shopper.isCounted() ? null : afterCounted(shopper);
                    shopper.refuse(Refusal.UNAVAILABLE);
                    return meanwhile != null ? meanwhile : Uni.createFrom().voidItem();
                });
    }

    /**
     * Puts the sale in the queued-sales set that every admission loop ticks, on every counted join
     * (never for a refused socket): the set lives on another cluster shard than the sale and may
     * have lost it (a loop took the sale out as finished, a node lost its data), so each join repairs
     * it, at the cost of one SADD.
     */
    private Uni<Void> recordQueuedSale(Room room) {
        return redis.set(Long.class).sadd(QueueKeys.QUEUED_SALES, room.saleId).replaceWithVoid();
    }

    private Uni<Void> readStatus(Room room, long now) {
        return statusScript.run(room.saleId).invoke(status -> room.readOnJoin(status, now)).replaceWithVoid();
    }

    private Uni<Void> tellJoined(Shopper shopper, Room room, QueueJoinScript.Result joined, long now) {
        // The sale state goes out before the socket is counted: from then on the pusher, on another
        // event loop, may send it a position, which must not overtake the state it belongs to.
        shopper.send(Messages.sale(room.status(), now));
        if (joined instanceof QueueJoinScript.Result.Waiting waiting && waiting.draw() != null) {
            shopper.send(Messages.draw(waiting.draw()));
        }
        shopper.joined(joined, now + pusher.rankRefreshMs(shopper.userId));
        Uni<Void> meanwhile = afterCounted(shopper);
        if (meanwhile != null) {
            return meanwhile;
        }
        Messages.Admitted early = shopper.takeEarlyAdmission();
        if (joined instanceof Inside inside) {
            shopper.send(Messages.admitted(signer.sign(shopper.userId, shopper.saleId, inside.windowEndMs()),
                    inside.windowEndMs()));
        } else if (early != null) {
            shopper.admitted(early);
        } else if (isOver(room.status(), now)) {
            // A ticket kept through its grace period rejoins a sale that ended or sold out meanwhile: the
            // room announced the end before this socket was in it, so it is told here, and waits for nothing.
            shopper.finish(new Messages.Closed(room.status().saleState(now)));
        } else {
            pusher.pushPosition(room, shopper, now);
        }
        return Uni.createFrom().voidItem();
    }

    private static boolean isOver(QueueStatus status, long now) {
        return status != null && PositionPusher.isOver(status.saleState(now));
    }

    /**
     * The join is counted: the socket (in its room since it opened) is told the room's news from now
     * on, and does what it asked for while the join was in Redis. Null when it stays.
     */
    private Uni<Void> afterCounted(Shopper shopper) {
        return switch (shopper.counted()) {
            case LEAVE -> leaveCounted(shopper);
            case DISCONNECT -> {
                rooms.leave(shopper);
                yield disconnect(shopper);
            }
            case STAY -> null;
        };
    }

    private Uni<Void> refused(Shopper shopper, Room room, Refused refused, long now) {
        rooms.leave(shopper);
        return switch (refused.reason()) {
            case ENDED, CANCELLED, SOLD_OUT -> (room.status() != null ? Uni.createFrom().item(room.status())
                            : statusScript.run(room.saleId).onFailure().recoverWithNull())
                    .invoke(status -> finishWithState(shopper, status, now, switch (refused.reason()) {
                        case ENDED -> "ended";
                        case CANCELLED -> "cancelled";
                        default -> "sold_out";
                    }))
                    .replaceWithVoid();
            case NO_WAITING_ROOM -> refuse(shopper, Refusal.NO_WAITING_ROOM);
            case NOT_ARMED -> refuse(shopper, Refusal.SALE_NOT_AVAILABLE);
            case EMAIL_NOT_VERIFIED -> refuse(shopper, Refusal.EMAIL_NOT_VERIFIED);
        };
    }

    private static Uni<Void> refuse(Shopper shopper, Refusal refusal, Object... details) {
        shopper.refuse(refusal, details);
        return Uni.createFrom().voidItem();
    }

    private static void finishWithState(Shopper shopper, QueueStatus status, long now, String reason) {
        if (status != null) {
            shopper.send(Messages.sale(status, now));
        }
        shopper.finish(new Messages.Closed(reason));
    }

    /** Explicit leave: the place (or the slot inside) frees at once. */
    Uni<Void> leave(Shopper shopper) {
        // Before the join is counted (its proof-of-work or its script still running), leaveNow records
        // the leave and answers false: the join carries it out once counted.
        if (shopper.isDone() || !shopper.leaveNow()) {
            return Uni.createFrom().voidItem();
        }
        return leaveCounted(shopper);
    }

    private Uni<Void> leaveCounted(Shopper shopper) {
        return leaveScript.run(shopper.saleId, shopper.userId)
                .invoke(() -> rooms.leave(shopper))
                .invoke(() -> shopper.finish(new Messages.Closed("left")))
                .replaceWithVoid();
    }

    /** The socket closed: unless the shopper left, its ticket is kept for the grace period. */
    Uni<Void> closed(Shopper shopper) {
        rooms.leave(shopper);
        // A shopper who asked to leave never starts a grace period (disconnectNow answers false).
        if (!shopper.disconnectNow()) {
            return Uni.createFrom().voidItem();
        }
        return disconnect(shopper);
    }

    private Uni<Void> disconnect(Shopper shopper) {
        return disconnectScript.run(shopper.saleId, shopper.userId, System.currentTimeMillis() + graceMs)
                .onFailure().invoke(failure -> Log.warnf("could not start the grace period of a shopper of sale %d: %s",
                        shopper.saleId, failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
