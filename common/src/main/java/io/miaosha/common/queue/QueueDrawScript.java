package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** queue_draw.lua: a sale's pre-opening draw, created on first need and revealed at opening; see the script's header. */
public final class QueueDrawScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_draw.lua");

    /**
     * A sale's draw. {@code seed} is secret until {@code revealed}: whoever holds one before must not
     * show it (the API publishes it only once revealed).
     */
    public record Draw(String seed, String commitment, long opensAtMs, boolean revealed) {
        @Override
        public String toString() {
            return "Draw[commitment=" + commitment + ", opensAtMs=" + opensAtMs + ", revealed=" + revealed + "]";
        }
    }

    private final ReactiveRedisDataSource redis;

    public QueueDrawScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.sale().meta(), queue.draw());
    }

    /** The sale's draw (created now when the sale is upcoming behind a waiting room and has none), or a null item. */
    public Uni<Draw> run(long saleId, long nowMs) {
        String seed = DrawFunction.newSeed();
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(nowMs), seed, DrawFunction.commitment(seed)))
                .map(QueueDrawScript::decode);
    }

    private static Draw decode(Response r) {
        if (r.get(0).toInteger() != 1) {
            return null;
        }
        return new Draw(r.get(3).toString(), r.get(1).toString(), r.get(2).toLong(), r.get(4).toInteger() == 1);
    }
}
