package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** queue_disconnect.lua: a shopper's socket closed without a leave; see the script's header. */
public final class QueueDisconnectScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_disconnect.lua");

    /** Whether that was the user's last socket anywhere (a waiting ticket then starts its grace period). */
    public enum Result { LAST_SOCKET_CLOSED, OTHER_SOCKETS_OPEN }

    private final ReactiveRedisDataSource redis;

    public QueueDisconnectScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        QueueKeys queue = new QueueKeys(saleId);
        return List.of(queue.connections(), queue.gone(), queue.waiting(), queue.inside());
    }

    public Uni<Result> run(long saleId, long userId, long graceEndMs) {
        return SCRIPT.call(redis, keys(saleId), List.of(Long.toString(userId), Long.toString(graceEndMs)))
                .map(r -> r.toInteger() == 1 ? Result.LAST_SOCKET_CLOSED : Result.OTHER_SOCKETS_OPEN);
    }
}
