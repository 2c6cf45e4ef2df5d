package io.miaosha.gateway.live;

import io.miaosha.common.queue.QueueStatus;
import io.miaosha.common.queue.QueueStatusScript;
import io.miaosha.gateway.queue.Messages;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.miaosha.gateway.socket.OpenSockets;
import io.miaosha.gateway.socket.SocketClose;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live state of every sale page viewed through this instance, in the queue or not: units left
 * and status, sent on open and then on each change. One read of a watched sale's state per
 * {@link LiveConfig#readEvery} (and at once on its sale events, {@link #saleChanged}), whatever its number of viewers; a
 * change is encoded once and the same frame written to each viewer. A feed exists from its sale's
 * first viewer here to its last, and only for an armed sale: a made-up id is refused before anything
 * is kept, and nothing of it is written to Redis (the feed only reads). A seated sale's map follows
 * its {@code sale} frame ({@link LiveSeats}), from its own reader every {@link LiveConfig#seatInterval}.
 */
@ApplicationScoped
public class LiveFeeds implements OpenSockets {

    private final ConcurrentHashMap<Long, LiveFeed> feeds = new ConcurrentHashMap<>();
    private final QueueStatusScript statusScript;
    private final Vertx vertx;
    private final LiveSeats seats;
    private final long readEveryMs;
    private final long seatIntervalMs;
    private long timer = -1;
    private long seatTimer = -1;

    public LiveFeeds(ReactiveRedisDataSource redis, Vertx vertx, LiveConfig config, LiveSeats seats) {
        this.statusScript = new QueueStatusScript(redis);
        this.vertx = vertx;
        this.seats = seats;
        this.readEveryMs = config.readEvery().toMillis();
        this.seatIntervalMs = config.seatInterval().toMillis();
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(readEveryMs, id -> feeds.values().forEach(this::refresh));
        seatTimer = vertx.setPeriodic(seatIntervalMs, id -> feeds.values().forEach(seats::read));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
        vertx.cancelTimer(seatTimer);
    }

    /**
     * A viewer opens the sale's feed: refused (and nothing kept) unless the sale is armed; otherwise
     * it gets the sale's state at once and every change from then on.
     */
    void watch(ServerWebSocket viewer, long saleId) {
        statusScript.run(saleId).subscribe().with(status -> {
                    if (status == null) {
                        refuse(viewer, LiveRefusal.SALE_NOT_AVAILABLE);
                        return;
                    }
                    LiveFeed feed = feeds.compute(saleId, (id, known) -> {
                        LiveFeed target = known != null ? known : new LiveFeed(id);
                        target.add(viewer);
                        return target;
                    });
                    // A close that came while the state was read found nothing to take out.
                    if (viewer.isClosed()) {
                        unwatch(viewer, saleId);
                        return;
                    }
                    boolean[] changed = {false};
                    long now = System.currentTimeMillis();
                    String frame = feed.show(Messages.sale(status, now), changed);
                    if (changed[0]) {
                        // Newer than what the others were told: they get it too.
                        broadcast(feed, frame, status.saleState(now));
                    } else {
                        viewer.writeTextMessage(frame);
                    }
                    seats.open(feed, viewer);
                }, failure -> {
                    Log.warnf("could not read sale %d for a viewer: %s", saleId, failure.getMessage());
                    refuse(viewer, LiveRefusal.UNAVAILABLE);
                });
    }

    /** The viewer's socket closed; the feed goes with its last viewer. */
    void unwatch(ServerWebSocket viewer, long saleId) {
        feeds.computeIfPresent(saleId, (id, feed) -> {
            feed.remove(viewer);
            return feed.isEmpty() ? null : feed;
        });
    }

    private void refresh(LiveFeed feed) {
        if (!feed.reading.compareAndSet(false, true)) {
            return;
        }
        statusScript.run(feed.saleId).subscribe().with(status -> {
            feed.reading.set(false);
            show(feed, status, System.currentTimeMillis());
        }, failure -> {
            feed.reading.set(false);
            Log.debugf("reading sale %d for its viewers failed: %s", feed.saleId, failure.getMessage());
        });
    }

    private void show(LiveFeed feed, QueueStatus status, long now) {
        if (status == null) {
            // Retired (or lost) meanwhile: there is nothing live to show any more.
            feeds.remove(feed.saleId, feed);
            feed.viewers().forEach(viewer -> refuse(viewer, LiveRefusal.SALE_NOT_AVAILABLE));
            return;
        }
        boolean[] changed = {false};
        String frame = feed.show(Messages.sale(status, now), changed);
        if (changed[0]) {
            broadcast(feed, frame, status.saleState(now));
        }
    }

    /** The same string to every viewer; a sale that ended or was cancelled closes its viewers' sockets after it. */
    private void broadcast(LiveFeed feed, String frame, String state) {
        boolean over = state.equals("ended") || state.equals("cancelled");
        SocketClose end = over ? new SocketClose(SocketClose.NORMAL.code(), state) : null;
        for (ServerWebSocket viewer : feed.viewers()) {
            if (viewer.isClosed()) {
                continue;
            }
            if (end != null) {
                end.closeAfter(viewer, frame);
            } else {
                viewer.writeTextMessage(frame);
            }
        }
    }

    /** A sale event (sold out, stock back, terms changed; heard by QueueEvents): its viewers are told now. */
    public void saleChanged(long saleId) {
        LiveFeed feed = feeds.get(saleId);
        if (feed != null) {
            refresh(feed);
        }
    }

    static void refuse(ServerWebSocket viewer, LiveRefusal refusal) {
        refusal.close.closeAfter(viewer, refusal.frame);
    }

    @Override
    public void forEachSocket(Consumer<ServerWebSocket> action) {
        feeds.values().forEach(feed -> feed.viewers().forEach(action));
    }

    /** The feed of a sale, null when nobody here views it (for tests and metrics). */
    LiveFeed find(long saleId) {
        return feeds.get(saleId);
    }

    /** Viewer sockets open on this instance. */
    public long viewers() {
        return feeds.values().stream().mapToLong(LiveFeed::size).sum();
    }
}
