package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/** queue_rank.lua: a shopper's exact place with the counts it was read at; see the script's header. */
public final class QueueRankScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_rank.lua");

    public sealed interface Result {
        /** {@code ahead} people before the shopper, read together with the admissions and reorders counts. */
        record Ranked(long ahead, long served, long reorders) implements Result {
        }

        /** The shopper holds no waiting ticket (admitted, left, or lost its place). */
        record NotWaiting() implements Result {
        }
    }

    private final ReactiveRedisDataSource redis;

    public QueueRankScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.waiting(), queue.stats());
    }

    public Uni<Result> run(long saleId, long userId) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(userId))).map(QueueRankScript::decode);
    }

    private static Result decode(Response r) {
        long ahead = r.get(0).toLong();
        return ahead < 0 ? new Result.NotWaiting() : new Result.Ranked(ahead, r.get(1).toLong(), r.get(2).toLong());
    }
}
