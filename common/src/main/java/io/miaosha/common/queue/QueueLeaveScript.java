package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** queue_leave.lua: the shopper leaves on purpose; see the script's header. */
public final class QueueLeaveScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_leave.lua");

    /** Whether the shopper was inside, so that its slot freed for the next ticket. */
    public enum Result { SLOT_FREED, WAS_NOT_INSIDE }

    private final ReactiveRedisDataSource redis;

    public QueueLeaveScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.waiting(), queue.joined(), queue.gone(), queue.inside(), queue.connections(), queue.stats());
    }

    public Uni<Result> run(long saleId, long userId) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(userId)))
                .map(r -> r.toInteger() == 1 ? Result.SLOT_FREED : Result.WAS_NOT_INSIDE);
    }
}
