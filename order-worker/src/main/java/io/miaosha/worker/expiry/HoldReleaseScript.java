package io.miaosha.worker.expiry;

import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Typed access to release_hold.lua (see its header for keys, arguments and return values). */
@ApplicationScoped
public class HoldReleaseScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("release_hold.lua");

    public static final int RELEASED = 1;
    public static final int ALREADY_EXPIRED = 0;
    public static final int PAID = 2;
    public static final int NO_SUCH_HOLD = -1;
    public static final int NOT_DUE = -3;

    private final ReactiveRedisDataSource redis;

    public HoldReleaseScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** The script's code and the hold's user (0 when unknown). */
    public record Result(int code, long userId) {
    }

    public Uni<Result> run(long saleId, String orderId, long nowMs) {
        return SCRIPT.call(redis, new SaleKeys(saleId).releaseKeys(), List.of(orderId, Long.toString(nowMs)))
                .map(response -> {
                    int code = response.get(0).toInteger();
                    long user = code >= 0 && response.size() > 1 ? response.get(1).toLong() : 0;
                    return new Result(code, user);
                });
    }
}
