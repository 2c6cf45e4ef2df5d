package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** queue_ack.lua: a gateway with the admitted shopper's socket holds its slot for the whole window; see the script's header. */
public final class QueueAckScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_ack.lua");

    public enum Result { ACKNOWLEDGED, NOT_INSIDE }

    private final ReactiveRedisDataSource redis;

    public QueueAckScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.inside(), queue.windows());
    }

    public Uni<Result> run(long saleId, long userId) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(userId)))
                .map(r -> r.toInteger() == 1 ? Result.ACKNOWLEDGED : Result.NOT_INSIDE);
    }
}
