package io.miaosha.common.queue;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** queue_lease.lua: takes or renews the lease on a sale's admission loop; see the script's header. */
public final class QueueLeaseScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("queue_lease.lua");

    public enum Result { HELD, HELD_BY_ANOTHER }

    private final ReactiveRedisDataSource redis;

    public QueueLeaseScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        return List.of(new QueueKeys(saleId).lease());
    }

    public Uni<Result> run(long saleId, String instanceId, long leaseMs) {
        return SCRIPT.call(redis, keys(saleId), List.of(instanceId, Long.toString(leaseMs)))
                .map(r -> r.toInteger() == 1 ? Result.HELD : Result.HELD_BY_ANOTHER);
    }
}
