package io.miaosha.api.draw;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.queue.DrawFunction;
import io.miaosha.common.queue.QueueDrawScript;
import io.miaosha.common.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes a sale's pre-opening draw from Redis, where the waiting room keeps it. Asking creates
 * the draw of a sale that is upcoming behind a waiting room (queue_draw.lua), so its commitment can
 * be published before the first shopper joins; once the sale opened the same script reveals it for
 * good. A revealed draw never changes (nobody enters it any more), so its view, with the entrants
 * sorted once, is kept for the few most recent sales: the crowd that checks it at opening costs
 * one read of the entrants, not one each.
 */
@ApplicationScoped
public class DrawService {

    private static final int REVEALED_KEPT = 16;

    private final QueueDrawScript script;
    private final ReactiveSetCommands<String, String> sets;
    private final Map<Long, DrawView> revealed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DrawView> eldest) {
            return size() > REVEALED_KEPT;
        }
    };

    public DrawService(ReactiveRedisDataSource redis) {
        this.script = new QueueDrawScript(redis);
        this.sets = redis.set(String.class);
    }

    public Uni<DrawView> draw(long saleId) {
        DrawView known = knownRevealed(saleId);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return script.run(saleId, System.currentTimeMillis())
                .onItem().ifNull().failWith(() -> new Problems.NoDraw(saleId))
                .chain(draw -> {
                    Instant revealAt = Instant.ofEpochMilli(draw.opensAtMs());
                    if (!draw.revealed()) {
                        // The seed stays in Redis: published before opening, it would let anyone foresee the order.
                        return Uni.createFrom().item(new DrawView(saleId, draw.commitment(), revealAt, null, null,
                                DrawFunction.DESCRIPTION));
                    }
                    return sets.smembers(new QueueKeys(saleId).drawEntrants())
                            .map(entrants -> remember(saleId, new DrawView(saleId, draw.commitment(), revealAt, draw.seed(),
                                    DrawFunction.order(draw.seed(), entrants), DrawFunction.DESCRIPTION)));
                });
    }

    private synchronized DrawView knownRevealed(long saleId) {
        return revealed.get(saleId);
    }

    private synchronized DrawView remember(long saleId, DrawView view) {
        revealed.put(saleId, view);
        return view;
    }
}
