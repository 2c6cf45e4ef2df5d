package io.miaosha.gateway.queue;

import io.miaosha.common.queue.QueueRankScript;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.common.queue.QueueStatusScript;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Once per push period, for each sale this instance has sockets for: one read of the sale's small
 * shared state (queue_status.lua), then each waiting socket's place is advanced locally by the
 * admissions since its last exact read (each admission takes someone ahead). That stays exact until
 * something else moves places (a leave, a lost place, a lottery ticket: the "reorders" count); then
 * the socket's place is read again (queue_rank.lua, O(log n)), at most once per rank-refresh period
 * per socket and spread over it, so an idle queue costs no reads at all. A socket gets a position message only when
 * something it shows changed, and at most once per push period. Sale state changes (opened,
 * paused, stock back, sold out, ended, cancelled) and the units left are announced to every socket of the room, at
 * most once per push period, in one frame encoded once.
 */
@ApplicationScoped
public class PositionPusher {

    private final QueueStatusScript statusScript;
    private final QueueRankScript rankScript;
    private final Rooms rooms;
    private final Vertx vertx;
    private final long pushMs;
    private final long refreshMs;
    private final long contextPushMs;
    private long timer = -1;

    public PositionPusher(ReactiveRedisDataSource redis, Rooms rooms, Vertx vertx, QueueConfig config) {
        this.statusScript = new QueueStatusScript(redis);
        this.rankScript = new QueueRankScript(redis);
        this.rooms = rooms;
        this.vertx = vertx;
        this.pushMs = config.pushEvery().toMillis();
        this.refreshMs = config.rankRefresh().toMillis();
        this.contextPushMs = Math.max(pushMs, config.contextPushEvery().toMillis());
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(pushMs, id -> rooms.all().forEach(this::refresh));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    /** Reads the room's shared state now and pushes what changed (also called on sale events). */
    void refresh(Room room) {
        if (room.isEmpty()) {
            return;
        }
        statusScript.run(room.saleId).subscribe().with(status -> push(room, status, System.currentTimeMillis()),
                failure -> Log.warnf("reading the queue of sale %d failed: %s", room.saleId, failure.getMessage()));
    }

    private void push(Room room, QueueStatus status, long now) {
        String changed = room.read(status, now);
        if (status == null) {
            return;
        }
        if (changed != null) {
            // Encoded once for the whole room: a stock change reaches every socket of a sale.
            String frame = Json.encode(Messages.sale(status, now));
            // Sold out means nothing left and no unpaid hold that could return a unit: the queue ends
            // for everyone at once instead of keeping them waiting for a drop that is over.
            boolean over = isOver(changed);
            room.forEach(shopper -> {
                shopper.sendFrame(frame);
                if (over) {
                    shopper.finish(new Messages.Closed(changed));
                }
            });
            if (over) {
                return;
            }
        }
        room.forEach(shopper -> {
            if (!shopper.isWaiting()) {
                return;
            }
            if (shopper.rankDue(status.reorders(), now, refreshMs)) {
                rankScript.run(room.saleId, shopper.userId).subscribe().with(rank -> {
                    if (rank instanceof QueueRankScript.Result.Ranked ranked) {
                        shopper.ranked(ranked);
                        pushPosition(room, shopper, System.currentTimeMillis());
                    }
                }, failure -> { });
            } else {
                pushPosition(room, shopper, now);
            }
        });
    }

    /** A sale state after which nobody is admitted again: the queue ends, and no wait is shown any more. */
    static boolean isOver(String state) {
        return state.equals("ended") || state.equals("cancelled") || state.equals("sold_out");
    }

    /**
     * Sends the shopper's position when its place moved (at most once per push period), or when only
     * the queue length or the estimate moved (at most once per context period).
     */
    void pushPosition(Room room, Shopper shopper, long now) {
        QueueStatus status = room.status();
        if (status != null && status.unitsLeft() <= 0) {
            // Paused (every unit left is in someone's cart): nobody is admitted, so a wait would be a
            // promise the queue cannot keep. The places hold, and are pushed again once a hold expires.
            return;
        }
        Messages.Position next = shopper.nextPosition(status, now);
        if (next == null) {
            return;
        }
        Messages.Position sent = shopper.sentPosition();
        boolean placeMoved = sent == null || next.ahead() != sent.ahead();
        boolean contextMoved = sent == null || lengthMoved(next.queueLength(), sent.queueLength())
                || !next.waitSeconds().equals(sent.waitSeconds()) || !next.chance().equals(sent.chance());
        long sinceLast = now - shopper.sentAtMs();
        if (placeMoved ? sinceLast < pushMs - 50 : !contextMoved || sinceLast < contextPushMs - 50) {
            return;
        }
        shopper.sentPosition(next, now);
    }

    /**
     * Whether the queue length moved enough to tell: any change in a short queue, 5% in a long one.
     * While a crowd joins, the length changes every second for everyone already waiting; telling
     * 300,000 sockets that 120,000 became 120,400 is most of a fleet's work and no news.
     */
    static boolean lengthMoved(long length, long sent) {
        return Math.abs(length - sent) * 20 >= Math.max(1, sent);
    }

    /** Spreads exact reads over the refresh period by user, so they do not all land in one tick. */
    long rankRefreshMs(long userId) {
        return Math.floorMod(userId * 2654435761L, Math.max(1, refreshMs));
    }
}
