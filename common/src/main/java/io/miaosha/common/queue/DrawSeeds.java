package io.miaosha.common.queue;

import io.miaosha.common.queue.QueueDrawScript.Draw;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The draw seeds one joining instance knows, so that a pre-opening join costs one round trip, not
 * two: a sale's seed never changes once created, and queue_join.lua checks the commitment of the
 * one the value was computed with, so a stale entry (a sale whose draw Redis lost) costs one
 * reload, never a wrong ticket. Bounded: only the most recently used sales are kept.
 */
public final class DrawSeeds {

    private static final int MAX_SALES = 256;

    private final QueueDrawScript script;
    private final Map<Long, Draw> bySale = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Draw> eldest) {
            return size() > MAX_SALES;
        }
    };

    public DrawSeeds(ReactiveRedisDataSource redis) {
        this.script = new QueueDrawScript(redis);
    }

    /** The seed known for the sale, null when none is. */
    public synchronized Draw cached(long saleId) {
        return bySale.get(saleId);
    }

    /** The sale's draw read from Redis (created there when due), remembered; a null item when the sale has none. */
    public Uni<Draw> load(long saleId, long nowMs) {
        return script.run(saleId, nowMs).invoke(draw -> remember(saleId, draw));
    }

    private synchronized void remember(long saleId, Draw draw) {
        if (draw == null) {
            bySale.remove(saleId);
        } else {
            bySale.put(saleId, draw);
        }
    }
}
