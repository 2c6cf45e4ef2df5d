package io.miaosha.gateway.live;

import io.miaosha.common.sale.SeatMapScript;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.http.ServerWebSocket;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The seat map of a seated sale on its live feed: a snapshot to each viewer as it opens, then, from one
 * reader per sale on this instance ({@link LiveFeeds} calls {@link #read} every
 * {@link LiveConfig#seatInterval}), the seat changes since the last read as one frame for all its viewers.
 * An unseated sale costs one read on its feed's first viewer and none after; a sale nobody views here
 * has no feed and is not read.
 */
@ApplicationScoped
public class LiveSeats {

    /**
     * The longest run of changes sent as changes (about 2,000 picks of up to 4 seats, some 60 KB of
     * frame); a longer backlog is sent as the whole map, at most 100 KB for the largest venue.
     */
    static final int MOST_CHANGES_PER_FRAME = 2_000;
    /** A snapshot keeps losing to the reader only while changes pour in; the page retries later. */
    private static final int SNAPSHOT_ATTEMPTS = 5;

    private final SeatMapScript mapScript;
    private final SeatChangesScript changesScript;

    public LiveSeats(ReactiveRedisDataSource redis) {
        this.mapScript = new SeatMapScript(redis);
        this.changesScript = new SeatChangesScript(redis, MOST_CHANGES_PER_FRAME);
    }

    /** A viewer of the feed got its {@code sale} frame: a seated sale's map follows. */
    void open(LiveFeed feed, ServerWebSocket viewer) {
        if (feed.seated == Boolean.FALSE) {
            return;
        }
        snapshot(feed, viewer, 1);
    }

    private void snapshot(LiveFeed feed, ServerWebSocket viewer, int attempt) {
        mapScript.run(feed.saleId).subscribe().with(snapshot -> {
            if (snapshot.states().isEmpty()) {
                // Seats are loaded before the sale's meta (arm_seats.lua), so an armed sale without them has none.
                feed.seated = false;
                return;
            }
            feed.seated = true;
            if (viewer.isClosed()) {
                return;
            }
            if (!feed.seats.join(viewer, snapshot)) {
                if (attempt < SNAPSHOT_ATTEMPTS) {
                    snapshot(feed, viewer, attempt + 1);
                } else {
                    LiveFeeds.refuse(viewer, LiveRefusal.UNAVAILABLE);
                }
                return;
            }
            // A close that came while the map was read found nothing to take out.
            if (viewer.isClosed()) {
                feed.seats.remove(viewer);
            }
        }, failure -> {
            Log.warnf("could not read the seats of sale %d for a viewer: %s", feed.saleId, failure.getMessage());
            LiveFeeds.refuse(viewer, LiveRefusal.UNAVAILABLE);
        });
    }

    /** The changes since the viewers' last frame, if any, as one frame; a snapshot when the reader fell behind. */
    void read(LiveFeed feed) {
        SeatFeed seats = feed.seats;
        if (feed.seated != Boolean.TRUE || seats.isEmpty()) {
            return;
        }
        String after = seats.changeId();
        if (after == null || !seats.reading.compareAndSet(false, true)) {
            return;
        }
        changesScript.run(feed.saleId, after).subscribe().with(result -> {
            seats.reading.set(false);
            switch (result) {
                case SeatChangesScript.Result.Changes changes -> seats.tell(after, changes.changes());
                case SeatChangesScript.Result.Reload reload -> seats.reload(reload.snapshot());
            }
        }, failure -> {
            seats.reading.set(false);
            Log.debugf("reading the seat changes of sale %d failed: %s", feed.saleId, failure.getMessage());
        });
    }
}
